// Cmdlets arrive with the module work.
