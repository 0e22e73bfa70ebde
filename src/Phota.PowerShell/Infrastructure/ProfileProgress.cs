using System.Globalization;
using System.Management.Automation;
using Phota.Profiles;

namespace Phota.PowerShell.Infrastructure;

/// <summary>The one progress bar of a profile wait.</summary>
internal static class ProfileProgress
{
    public const int ActivityId = 0x50687F;

    public static ProgressRecord Record(ProfileWaitProgress progress, string activity)
    {
        var pending = string.Join(", ", progress.Pending.GroupBy(p => p.Value.Value).Select(g => $"{g.Count()} {g.Key}"));
        var status = string.Format(CultureInfo.InvariantCulture, "{0} of {1} profile(s) finished after {2:0} s{3}",
            progress.Finished, progress.Total, progress.Elapsed.TotalSeconds, pending.Length == 0 ? string.Empty : "; " + pending);
        return new ProgressRecord(ActivityId, activity, status)
        {
            PercentComplete = progress.Total == 0 ? 100 : progress.Finished * 100 / progress.Total,
            RecordType = progress.Finished == progress.Total ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
    }

    /// <summary>Removes the bar; written when the wait ends in any way, so it never stays on screen.</summary>
    public static ProgressRecord Completed(string activity)
        => new(ActivityId, activity, "Done") { RecordType = ProgressRecordType.Completed };
}
