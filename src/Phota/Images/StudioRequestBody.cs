using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Phota.Errors;

namespace Phota.Images;

/// <summary>
/// A studio request body written straight into the request stream: the scalar fields (serialized once), then each
/// image — URLs and base64 text as JSON strings, files and bytes base64-encoded chunk by chunk from a reopened
/// stream with pooled buffers — so a large photo is never held in memory as a whole, let alone as several copies.
/// Base64 needs no JSON escaping, and the total length is known before sending.
/// </summary>
internal sealed class StudioRequestBody : HttpContent
{
    /// <summary>Input read per chunk: a multiple of 3, so every chunk but the last encodes without padding.</summary>
    internal const int InputChunkSize = 3 * 16 * 1024;

    private readonly IReadOnlyList<BodySegment> _segments;
    private readonly long _length;

    private StudioRequestBody(IReadOnlyList<BodySegment> segments, long length)
    {
        _segments = segments;
        _length = length;
        Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
    }

    /// <summary>
    /// Plans the body: <paramref name="bodyFieldsJson"/> is the serialized object of every non-image field (it must end
    /// with '}'); each image field is appended as a string or an array of strings. The plan is reused for every
    /// attempt; the returned factory makes the content for one attempt.
    /// </summary>
    public static Func<HttpContent> Plan(ReadOnlyMemory<byte> bodyFieldsJson, IReadOnlyList<(string Field, bool IsArray, IReadOnlyList<ImageInput> Images)> imageFields)
    {
        var segments = new List<BodySegment>();
        var literal = new ArrayBufferWriter<byte>();
        var bodyFields = bodyFieldsJson.Span;
        var end = bodyFields.LastIndexOf((byte)'}');
        if (end < 0)
        {
            throw new ArgumentException("The scalar JSON must be an object.", nameof(bodyFieldsJson));
        }

        literal.Write(bodyFields[..end]);
        var hasFields = bodyFields[..end].IndexOf((byte)'"') >= 0;
        foreach (var (field, isArray, images) in imageFields)
        {
            literal.Write(hasFields ? ","u8 : ""u8);
            hasFields = true;
            literal.Write(Quote(JsonEncodedText.Encode(field, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes));
            literal.Write(":"u8);
            if (isArray)
            {
                literal.Write("["u8);
            }

            for (var i = 0; i < images.Count; i++)
            {
                if (i > 0)
                {
                    literal.Write(","u8);
                }

                literal.Write("\""u8);
                var image = images[i];
                switch (image.Kind)
                {
                    case ImageInputKind.Url:
                        literal.Write(JsonEncodedText.Encode(image.Url!.AbsoluteUri, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes);
                        break;
                    case ImageInputKind.Base64:
                        // Base64 text holds only A-Z a-z 0-9 + / =, none of which JSON escapes.
                        literal.Write(Encoding.ASCII.GetBytes(image.Base64Text!));
                        break;
                    default:
                        segments.Add(new BodySegment(literal.WrittenMemory.ToArray(), null));
                        literal.Clear();
                        segments.Add(new BodySegment(null, image));
                        break;
                }

                literal.Write("\""u8);
            }

            if (isArray)
            {
                literal.Write("]"u8);
            }
        }

        literal.Write("}"u8);
        segments.Add(new BodySegment(literal.WrittenMemory.ToArray(), null));
        long length = 0;
        foreach (var segment in segments)
        {
            length += segment.Literal?.Length ?? Base64Length(segment.Image!.Length!.Value);
        }

        var plan = segments.ToArray();
        return () => new StudioRequestBody(plan, length);
    }

    internal static long Base64Length(long bytes) => (bytes + 2) / 3 * 4;

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        foreach (var segment in _segments)
        {
            if (segment.Literal is { } literal)
            {
                await stream.WriteAsync(literal, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WriteBase64Async(segment.Image!, stream, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteBase64Async(ImageInput image, Stream target, CancellationToken cancellationToken)
    {
        var input = ArrayPool<byte>.Shared.Rent(InputChunkSize);
        var output = ArrayPool<byte>.Shared.Rent(Base64.GetMaxEncodedToUtf8Length(InputChunkSize));
        try
        {
            await using var source = image.OpenContent();
            long total = 0;
            while (true)
            {
                var filled = await source.ReadAtLeastAsync(input.AsMemory(0, InputChunkSize), InputChunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                total += filled;
                var final = filled < InputChunkSize;
                var status = Base64.EncodeToUtf8(input.AsSpan(0, filled), output, out var consumed, out var written, isFinalBlock: final);
                if (status != OperationStatus.Done || consumed != filled)
                {
                    throw new InvalidOperationException("Base64 encoding of an aligned chunk did not complete.");
                }

                await target.WriteAsync(output.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
                if (final)
                {
                    break;
                }
            }

            if (total != image.Length)
            {
                throw new PhotaInputException(image.Description, "changed while it was being sent.", "Wait until the file is fully written, then try again.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<byte>.Shared.Return(output);
        }
    }

    private static byte[] Quote(ReadOnlySpan<byte> encodedName)
    {
        var result = new byte[encodedName.Length + 2];
        result[0] = (byte)'"';
        encodedName.CopyTo(result.AsSpan(1));
        result[^1] = (byte)'"';
        return result;
    }

    private sealed record BodySegment(byte[]? Literal, ImageInput? Image);
}
