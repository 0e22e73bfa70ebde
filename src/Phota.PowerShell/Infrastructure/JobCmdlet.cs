using System.Management.Automation;

namespace Phota.PowerShell.Infrastructure;

/// <summary>Base of the cmdlets that take many jobs (through the batch): Get-PhotaJob output (or any job object) by value, or ids.</summary>
public abstract class JobCmdlet : BatchCmdlet
{
    protected const string JobSet = "Job";
    protected const string IdSet = "JobId";

    /// <summary>Job objects from Get-PhotaJob or Invoke-Phota* -NoWait.</summary>
    [Parameter(ParameterSetName = JobSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PhotaJob[] Job { get; set; } = [];

    /// <summary>Job ids (or the client request ids the journal knows them by).</summary>
    [Parameter(ParameterSetName = IdSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completers.JobIdCompleter))]
    public string[] JobId { get; set; } = [];

    /// <summary>The current item's jobs as (id to use, object for errors).</summary>
    protected IEnumerable<(string Id, object Target)> CurrentJobs()
        => ParameterSetName == JobSet
            ? Job.Select(j => (j.JobId ?? j.ClientRequestId ?? string.Empty, (object)j)).Where(j => j.Item1.Length > 0)
            : JobId.Select(id => (id.Trim(), (object)id));
}
