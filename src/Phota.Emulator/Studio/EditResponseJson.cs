using System.Text.Json.Nodes;
using Phota.Emulator.Files;
using Phota.Emulator.Jobs;
using Phota.Emulator.Time;

namespace Phota.Emulator.Studio;

/// <summary>
/// Builds an EditResponse: <c>images</c> (base64, rendered now) for response_mode "bytes",
/// <c>download_urls</c> (signed links, valid for 24 h from completion) for "urls"; the other list
/// is empty. <c>known_subjects.counts</c> maps each recognised profile to the number of outputs.
/// </summary>
internal sealed class EditResponseJson(DownloadLinks links, EmulatorOptions options, EmulatorClock clock)
{
    public JsonObject Build(Job job, Uri baseAddress)
    {
        var images = new JsonArray();
        var urls = new JsonArray();
        for (var i = 0; i < job.Outputs.Count; i++)
        {
            if (job.ResponseMode == "urls")
            {
                var expires = job.CompletedAt + clock.Scaled(options.DownloadLinkExpiry);
                urls.Add(links.Create(baseAddress, job.Id, i, job.Outputs[i], job.OutputFormat, expires));
            }
            else
            {
                images.Add(Convert.ToBase64String(OutputRenderer.Render(job.Id, i, job.Outputs[i], job.OutputFormat)));
            }
        }

        var counts = new JsonObject();
        foreach (var (profileId, count) in job.KnownSubjects) counts[profileId] = count;
        return new JsonObject
        {
            ["images"] = images,
            ["download_urls"] = urls,
            ["known_subjects"] = new JsonObject { ["counts"] = counts },
        };
    }
}
