using Phota.Emulator;

return await EmulatorProgram.RunAsync(args);
