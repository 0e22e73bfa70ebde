using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Phota.Errors;
using Phota.Sessions;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Phota.Http;

/// <summary>A request to send: a fresh <see cref="HttpContent"/> is created for every attempt.</summary>
internal sealed record ApiRequest(HttpMethod Method, Uri Uri, RequestKind Kind)
{
    public Func<HttpContent>? CreateContent { get; init; }

    public TimeSpan? AttemptTimeout { get; init; }

    /// <summary>Limit for the whole call with its retries; null: <see cref="PhotaClientOptions.OverallTimeout"/>.</summary>
    public TimeSpan? OverallTimeout { get; init; }

    public string? Accept { get; init; } = "application/json";
}

/// <summary>A successful answer's value with the headers the caller may need.</summary>
public sealed record ApiResponse<T>(T Value, HttpStatusCode StatusCode, string? RequestId, TimeSpan? RetryAfter);

/// <summary>
/// Sends requests through one resilience pipeline: overall timeout, retry (rule chosen by <see cref="RequestKind"/>),
/// per-attempt timeout. Each attempt builds a new request message; the response is read inside the attempt,
/// so a connection that breaks mid-body is handled like any other failed attempt.
/// </summary>
internal sealed class ApiTransport : IDisposable
{
    private static readonly ResiliencePropertyKey<RequestKind> KindKey = new("phota.kind");
    private static readonly ResiliencePropertyKey<TimeSpan> AttemptTimeoutKey = new("phota.attempt-timeout");
    private static readonly ResiliencePropertyKey<TimeSpan> OverallTimeoutKey = new("phota.overall-timeout");
    private static readonly ResiliencePropertyKey<ApiRequest> RequestKey = new("phota.request");
    private static readonly string UserAgent = "Phota-PowerShell/" +
        (typeof(ApiTransport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0") +
        " (.NET " + Environment.Version.ToString(2) + ")";

    /// <summary>
    /// API origins that have answered in this process. A connection refused by an origin that never answered is most
    /// likely a wrong URL or a server that is not running, so it is retried once rather than for the whole backoff;
    /// one that has answered before is having an outage, which retries ride out.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> AnsweredOrigins = new(StringComparer.OrdinalIgnoreCase);

    private readonly PhotaSession _session;
    private readonly PhotaClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ResiliencePipeline _pipeline;

    public ApiTransport(PhotaSession session, PhotaClientOptions options)
    {
        _session = session;
        _options = options;
        if (options.AdditionalHandlers is { } handlers)
        {
            _http = HttpClientCache.CreateOwned(session, handlers());
            _ownsHttp = true;
        }
        else
        {
            _http = HttpClientCache.Get(session);
        }

        _pipeline = BuildPipeline();
    }

    public PhotaSession Session => _session;

    public PhotaClientOptions Options => _options;

    public Uri ApiUri(string relativePath) => new(_session.BaseUri, relativePath);

    public async Task<ApiResponse<T>> SendJsonAsync<T>(ApiRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        => await SendAsync(request, async (response, ct) =>
        {
            T? value;
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                value = await JsonSerializer.DeserializeAsync(stream, typeInfo, ct).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw Unreadable(response, e);
            }

            return value ?? throw Unreadable(response, null);
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>Sends <paramref name="request"/> with retries; <paramref name="readSuccess"/> runs inside each attempt on a 2xx answer.</summary>
    public async Task<ApiResponse<T>> SendAsync<T>(
        ApiRequest request, Func<HttpResponseMessage, CancellationToken, Task<T>> readSuccess, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(KindKey, request.Kind);
        context.Properties.Set(RequestKey, request);
        context.Properties.Set(AttemptTimeoutKey, request.AttemptTimeout ?? _options.AttemptTimeout);
        context.Properties.Set(OverallTimeoutKey, request.OverallTimeout ?? _options.OverallTimeout);
        var state = new AttemptState<T>(this, request, readSuccess);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, s) => s.Transport.AttemptAsync(ctx, s), context, state).ConfigureAwait(false);
        }
        catch (PhotaException e) when (state.LastAttemptNotRun && !state.EarlierAttemptMayHaveRun)
        {
            e.CertainlyNotRun = true;
            throw;
        }
        catch (TimeoutRejectedException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PhotaException(ErrorKind.Timeout,
                $"{request.Method} {request.Uri.AbsolutePath} did not complete within its time limit ({e.Timeout.TotalSeconds:0.###} s).", e);
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = TransportFailure(request, e);
            failure.CertainlyNotRun = state.LastAttemptNotRun && !state.EarlierAttemptMayHaveRun;
            throw failure;
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw TransportFailure(request, e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async ValueTask<ApiResponse<T>> AttemptAsync<T>(ResilienceContext context, AttemptState<T> state)
    {
        var attempt = Interlocked.Increment(ref state.Attempt);
        if (attempt > 1 && !state.LastAttemptNotRun)
        {
            // The previous attempt ended without a clear refusal (connection lost, timeout, 5xx other than 503).
            state.EarlierAttemptMayHaveRun = true;
        }

        state.LastAttemptNotRun = false;
        var request = state.Request;
        var ct = context.CancellationToken;
        using var message = new HttpRequestMessage(request.Method, request.Uri);
        if (IsApiOrigin(request.Uri))
        {
            // The key goes only to the API's own origin, never to a download host.
            message.Headers.TryAddWithoutValidation("X-API-Key", _session.ApiKey);
        }

        message.Headers.UserAgent.ParseAdd(UserAgent);
        if (request.Accept is not null)
        {
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(request.Accept));
        }

        if (request.CreateContent is not null)
        {
            message.Content = request.CreateContent();
        }

        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && FindInner<PhotaException>(e) is { } local)
        {
            // A local failure while writing the body (a file that changed or vanished) is not a network error,
            // and the server never received a whole request.
            state.LastAttemptNotRun = true;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(local).Throw();
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            state.LastAttemptNotRun = e is HttpRequestException h && RetryClassifier.IsNeverConnected(h);
            Log(new PhotaLogEvent
            {
                Kind = PhotaLogEventKind.HttpExchange, Method = request.Method.Method, Path = request.Uri.AbsolutePath,
                Elapsed = Stopwatch.GetElapsedTime(started), Attempt = attempt, Reason = "connection error", Message = _session.Redact(e.Message),
            });
            throw;
        }

        if (IsApiOrigin(request.Uri))
        {
            AnsweredOrigins.TryAdd(OriginOf(request.Uri), true);
        }

        using (response)
        {
            // Everything a server sends back is redacted: a hostile or broken server may echo the key anywhere.
            var requestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? _session.Redact(ids.FirstOrDefault()) : null;
            Log(new PhotaLogEvent
            {
                Kind = PhotaLogEventKind.HttpExchange, Method = request.Method.Method, Path = request.Uri.AbsolutePath,
                StatusCode = response.StatusCode, RequestId = requestId, Elapsed = Stopwatch.GetElapsedTime(started), Attempt = attempt,
            });

            if (!response.IsSuccessStatusCode)
            {
                // A 4xx is a refusal; a 503 is documented as "not processed". Other 5xx may have run.
                var status = (int)response.StatusCode;
                state.LastAttemptNotRun = status is >= 400 and < 500 or 503;
                throw await ApiErrorReader.ReadAsync(response, _session, _options.MaxRetryAfter, _options.TimeProvider.GetUtcNow(), ct).ConfigureAwait(false);
            }

            var retryAfter = RetryAfterParser.Parse(response.Headers, _options.TimeProvider.GetUtcNow());
            var value = await state.ReadSuccess(response, ct).ConfigureAwait(false);
            return new ApiResponse<T>(value, response.StatusCode, requestId, retryAfter);
        }
    }

    private static T? FindInner<T>(Exception e) where T : Exception
    {
        for (var current = e.InnerException; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }

    private static string OriginOf(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    private static bool HasAnswered(ApiRequest? request) => request is not null && AnsweredOrigins.ContainsKey(OriginOf(request.Uri));

    private bool IsApiOrigin(Uri uri)
        => Uri.Compare(uri, _session.BaseUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private ResiliencePipeline BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = _options.TimeProvider };
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(OverallTimeoutKey, _options.OverallTimeout)),
        });
        var random = _options.RandomSeed is { } seed ? new Random(seed) : Random.Shared;
        builder.AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(0, _options.MaxRetries) is 0 ? 1 : _options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.RetryBaseDelay,
            MaxDelay = _options.MaxRetryDelay,
            Randomizer = () => { lock (random) { return random.NextDouble(); } },
            ShouldHandle = args => ValueTask.FromResult(
                _options.MaxRetries > 0
                && args.Outcome.Exception is { } e
                && RetryClassifier.RetryReason(args.Context.Properties.GetValue(KindKey, RequestKind.Unrepeatable), e, _options.MaxRetryAfter) is not null
                && !(args.AttemptNumber >= 1 && e is HttpRequestException h && RetryClassifier.IsNeverConnected(h) && !HasAnswered(args.Context.Properties.GetValue(RequestKey, null!)))),
            DelayGenerator = args => ValueTask.FromResult(
                args.Outcome.Exception is PhotaApiException { RetryAfter: { } wait } ? (TimeSpan?)wait : null),
            OnRetry = args =>
            {
                var request = args.Context.Properties.GetValue(RequestKey, null!);
                var kind = args.Context.Properties.GetValue(KindKey, RequestKind.Unrepeatable);
                Log(new PhotaLogEvent
                {
                    Kind = PhotaLogEventKind.Retry, Method = request?.Method.Method, Path = request?.Uri.AbsolutePath,
                    Attempt = args.AttemptNumber + 1, Delay = args.RetryDelay,
                    Reason = args.Outcome.Exception is { } e ? RetryClassifier.RetryReason(kind, e, _options.MaxRetryAfter) : null,
                });
                return default;
            },
        });
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = args => ValueTask.FromResult(args.Context.Properties.GetValue(AttemptTimeoutKey, _options.AttemptTimeout)),
        });
        return builder.Build();
    }

    private PhotaException TransportFailure(ApiRequest request, Exception e)
    {
        var target = $"{request.Method} {request.Uri.GetLeftPart(UriPartial.Path)}";
        var neverConnected = e is HttpRequestException h && RetryClassifier.IsNeverConnected(h);
        if (!neverConnected && request.Kind == RequestKind.Unrepeatable && request.Method != HttpMethod.Get)
        {
            return new PhotaException(ErrorKind.OutcomeUnknown,
                $"The connection broke during {target} after the request was sent, so it may have run (and been charged). " +
                "It was not repeated automatically. " + _session.Redact(e.Message), e);
        }

        return new PhotaException(ErrorKind.Unreachable,
            $"Could not reach the Phota API for {target}: {_session.Redact(e.Message)}", e);
    }

    private PhotaException Unreadable(HttpResponseMessage response, Exception? inner)
    {
        var requestId = response.Headers.TryGetValues("X-Request-Id", out var ids) ? _session.Redact(ids.FirstOrDefault()) : null;
        return new PhotaException(ErrorKind.Unknown,
            $"The Phota API answered {(int)response.StatusCode} with a body this client could not read{(requestId is null ? string.Empty : " (request id " + requestId + ")")}.", inner is null ? null : new FormatException(_session.Redact(inner.Message)));
    }

    internal void Log(PhotaLogEvent logEvent)
    {
        if (_options.Log is { } log)
        {
            try
            {
                log(logEvent);
            }
            catch (Exception)
            {
                // A faulty log sink must never break an API call.
            }
        }
    }

    private sealed class AttemptState<T>(ApiTransport transport, ApiRequest request, Func<HttpResponseMessage, CancellationToken, Task<T>> readSuccess)
    {
        public int Attempt;

        /// <summary>The latest attempt certainly did not run on the server (refused, or never connected).</summary>
        public bool LastAttemptNotRun;

        /// <summary>An attempt before the latest may have reached the server and run.</summary>
        public bool EarlierAttemptMayHaveRun;

        public ApiTransport Transport { get; } = transport;

        public ApiRequest Request { get; } = request;

        public Func<HttpResponseMessage, CancellationToken, Task<T>> ReadSuccess { get; } = readSuccess;
    }
}
