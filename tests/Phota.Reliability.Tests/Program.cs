using System.Globalization;

namespace Phota.Reliability.Tests;

/// <summary>
/// The test assembly run as a program: a second process using the library, for tests about several processes at
/// once. The key, base URL and journal come from PHOTA_API_KEY, PHOTA_BASE_URL and PHOTA_JOURNAL_PATH, as for a user.
/// <list type="bullet">
/// <item><c>journal-append &lt;prefix&gt; &lt;count&gt;</c>: appends intent and submitted records as fast as it can.</item>
/// <item><c>batch &lt;input-dir&gt; &lt;output-dir&gt;</c>: enhances every file of the folder in one batch.</item>
/// </list>
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            switch (args.FirstOrDefault())
            {
                case "journal-append" when args.Length == 3:
                    AppendRecords(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
                    return 0;
                case "batch" when args.Length == 3:
                    return await RunBatchAsync(args[1], args[2]).ConfigureAwait(false);
                default:
                    Console.Error.WriteLine("usage: journal-append <prefix> <count> | batch <input-dir> <output-dir>");
                    return 2;
            }
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("helper failed: " + e);
            return 1;
        }
    }

    private static void AppendRecords(string prefix, int count)
    {
        var journal = new JobJournal(JobJournal.DefaultPath());
        Console.WriteLine("ready");
        for (var i = 0; i < count; i++)
        {
            var id = $"{prefix}-{i}";
            journal.Append(new JournalRecord { Type = JournalRecordTypes.Intent, Time = DateTimeOffset.UtcNow, ClientRequestId = id, Operation = "enhance", Inputs = [$"/photos/{id}.jpg"] }, durable: false);
            journal.Append(new JournalRecord { Type = JournalRecordTypes.Submitted, Time = DateTimeOffset.UtcNow, ClientRequestId = id, JobId = "job-" + id }, durable: false);
        }

        Console.WriteLine("appended " + count);
    }

    private static async Task<int> RunBatchAsync(string inputDirectory, string outputDirectory)
    {
        var session = PhotaSession.Resolve(null, null);
        // The journal is where PHOTA_JOURNAL_PATH says, as for a user.
        using var client = new PhotaClient(session, TestClient.FastOptions(journalPath: null));
        await using var batch = client.StartBatch(new BatchOptions { Output = new OutputOptions { Directory = outputDirectory }, Concurrency = 4 });
        foreach (var file in Directory.GetFiles(inputDirectory).Order(StringComparer.Ordinal))
        {
            batch.Add(new BatchItem(new EnhanceRequest { Image = ImageInput.FromFile(file) }));
        }

        batch.Complete();
        int succeeded = 0, failed = 0;
        await foreach (var result in batch.ReadAllAsync().ConfigureAwait(false))
        {
            if (result.Succeeded)
            {
                succeeded++;
            }
            else
            {
                failed++;
                Console.Error.WriteLine("item failed: " + result.Error!.Message);
            }
        }

        Console.WriteLine($"done {succeeded} {failed}");
        return failed == 0 ? 0 : 3;
    }
}
