using System.Buffers;
using System.Text.Json;

namespace Phota.Emulator.Http;

/// <summary>
/// Reads a JSON request body as a stream, refusing it as soon as it passes the size cap, so a huge
/// upload can never exhaust memory.
/// </summary>
internal static class RequestBody
{
    internal enum Outcome { Ok, Empty, TooLarge, InvalidJson }

    internal sealed record Result(Outcome Outcome, JsonDocument? Document, long ErrorPosition = 0, string? Error = null);

    public static async Task<Result> ReadJsonAsync(HttpContext context, long maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength is { } declared && declared > maxBytes)
            return new Result(Outcome.TooLarge, null);

        var initial = (int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes) + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 256));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1));
                    if (bigger.Length <= buffer.Length)
                    {
                        ArrayPool<byte>.Shared.Return(bigger);
                        return new Result(Outcome.TooLarge, null);
                    }

                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0) break;
                length += read;
                if (length > maxBytes) return new Result(Outcome.TooLarge, null);
            }

            var span = buffer.AsMemory(0, length);
            if (span.Span.Trim(" \t\r\n"u8).IsEmpty) return new Result(Outcome.Empty, null);
            try
            {
                // JsonDocument copies what it needs, so the pooled buffer can be returned afterwards.
                var doc = JsonDocument.Parse(span.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
                return new Result(Outcome.Ok, doc);
            }
            catch (JsonException ex)
            {
                return new Result(Outcome.InvalidJson, null, ex.BytePositionInLine ?? 0, ex.Message);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
