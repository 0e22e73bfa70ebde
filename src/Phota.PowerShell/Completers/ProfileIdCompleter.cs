using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Phota.PowerShell.Infrastructure;
using Phota.Sessions;

namespace Phota.PowerShell.Completers;

/// <summary>
/// Tab completion of profile ids: lists the account's profiles (session from -Session, the default, or the
/// environment) with a short time limit, and stays silent when that is not possible (no key, offline).
/// </summary>
public sealed class ProfileIdCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(3);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = ProfileIdText.Normalize((wordToComplete ?? string.Empty).Trim('\'', '"'));
        IReadOnlyList<Models.ProfileInfo> profiles;
        try
        {
            var explicitSession = fakeBoundParameters?["Session"] is { } s ? (s as PSObject)?.BaseObject as PhotaSession ?? s as PhotaSession : null;
            var session = PhotaSession.Resolve(explicitSession, SessionStore.Current);
            using var client = new PhotaClient(session);
            using var timeout = new CancellationTokenSource(Limit);
            var listing = client.ListProfilesAsync(null, timeout.Token);
            profiles = listing.Wait(Limit) ? listing.Result : [];
        }
        catch (Exception)
        {
            // Completion must never fail or print anything.
            return [];
        }

        return profiles
            .Where(p => p.ProfileId.StartsWith(word, StringComparison.OrdinalIgnoreCase) || (p.Tag?.StartsWith(word, StringComparison.OrdinalIgnoreCase) ?? false))
            .OrderBy(p => p.Tag ?? p.ProfileId, StringComparer.OrdinalIgnoreCase)
            .Select(p => new CompletionResult(p.ProfileId, p.Tag is null ? p.ProfileId : $"{p.ProfileId} ({p.Tag})", CompletionResultType.ParameterValue,
                $"{p.ProfileId} {p.Status}{(p.Tag is null ? string.Empty : " tag " + p.Tag)}"))
            .ToList();
    }
}
