using System.Net.Http.Headers;
using System.Text.Json;
using Phota.Emulator.Accounts;
using Phota.Emulator.Hosting;
using Phota.Emulator.Jobs;
using Phota.Emulator.State;
using Phota.Emulator.Time;

namespace Phota.Emulator.Webhooks;

/// <summary>
/// Delivers a finished async job's status to its <c>callback_url</c>: a POST of the JobStatus JSON
/// with <c>X-Phota-Signature</c> = lowercase hex HMAC-SHA256 of the exact body bytes under the key's
/// webhook secret. A non-2xx answer or a connection failure is retried with doubling backoff
/// (<see cref="EmulatorOptions.CallbackAttempts"/> attempts in all). Polling stays authoritative.
/// </summary>
internal sealed class CallbackDispatcher(
    EmulatorOptions options, EmulatorClock clock, EmulatorStore store, ServerAddress address, JobStatusJson statusJson, HttpClient http)
{
    private readonly CancellationTokenSource _stopping = new();

    public void Enqueue(Account account, Job job) => _ = Task.Run(() => DeliverAsync(account, job));

    public void Stop() => _stopping.Cancel();

    private async Task DeliverAsync(Account account, Job job)
    {
        var ct = _stopping.Token;
        var secret = WebhookSecrets.GetOrMint(account, store);
        byte[] body;
        Uri target;
        lock (account.Gate)
        {
            body = JsonSerializer.SerializeToUtf8Bytes(statusJson.Build(job, job.CompletedAt, address.BaseAddress), Http.ApiErrors.Json);
            target = new Uri(job.CallbackUrl!);
        }

        var signature = WebhookSecrets.Sign(secret, body);
        var backoff = clock.Scaled(options.CallbackBackoff);
        for (var attempt = 1; attempt <= options.CallbackAttempts && !ct.IsCancellationRequested; attempt++)
        {
            lock (account.Gate) job.CallbackAttempts++;
            store.MarkChanged();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add("X-Phota-Signature", signature);
                request.Headers.UserAgent.ParseAdd("Phota-Webhooks/0.7");
                using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    lock (account.Gate) job.CallbackDelivered = true;
                    store.MarkChanged();
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                if (ct.IsCancellationRequested) return;
            }

            if (attempt < options.CallbackAttempts)
            {
                try
                {
                    await EmulatorClock.Delay(backoff, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff *= 2;
            }
        }

        if (ct.IsCancellationRequested) return;
        lock (account.Gate) job.CallbackAbandoned = true;
        store.MarkChanged();
    }
}
