using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Phota.Jobs;

namespace Phota.PowerShell.Completers;

/// <summary>
/// Tab completion of job ids from the local journal: the outstanding jobs first (what Receive-PhotaJob and
/// Wait-PhotaJob are usually given), newest first. Reads the journal only; stays silent when it cannot.
/// </summary>
public sealed class JobIdCompleter : IArgumentCompleter
{
    private const int MaxResults = 100;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        IReadOnlyList<JournalEntry> entries;
        try
        {
            entries = new JobJournal(JobJournal.DefaultPath()).GetOutstanding();
        }
        catch (Exception)
        {
            // Completion must never fail or print anything.
            return [];
        }

        return entries
            .Where(e => e.JobId is not null && e.JobId.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(e => e.CreatedAt)
            .Take(MaxResults)
            .Select(e => new CompletionResult(e.JobId!, e.JobId!, CompletionResultType.ParameterValue,
                $"{e.JobId} {e.Operation} {e.State} {e.CreatedAt.ToLocalTime():g}{(e.Source is null ? string.Empty : " " + e.Source)}"))
            .ToList();
    }
}
