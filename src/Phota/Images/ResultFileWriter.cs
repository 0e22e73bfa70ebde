using System.Buffers;
using System.Security.Cryptography;
using Phota.Errors;
using Phota.Models;

namespace Phota.Images;

/// <summary>
/// Writes a result to <c>&lt;name&gt;.partial-&lt;random&gt;</c> in the output directory, checks its bytes are the
/// requested format, then renames it to its final name without replacing an existing file (unless asked).
/// A failed or cancelled write leaves no file behind.
/// </summary>
internal static class ResultFileWriter
{
    private const int CopyBufferSize = 128 * 1024;

    public static string TempPathFor(string directory, string fileName)
        => Path.Combine(directory, fileName + ".partial-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant());

    /// <summary>Copies <paramref name="source"/> into a new temporary file; deletes it on any failure.</summary>
    public static Task<string> WriteTempAsync(Stream source, string directory, string fileName, CancellationToken cancellationToken)
        => WriteTempAsync(source, directory, fileName, long.MaxValue, cancellationToken);

    /// <summary>The error for a result over the size cap (nothing is kept of it).</summary>
    public static PhotaException TooLarge(string fileName, long limit)
        => new(ErrorKind.InvalidResult, $"The result {fileName} is larger than the {limit / (1024 * 1024)} MB limit for one image; it was not saved.");

    /// <summary>
    /// Copies <paramref name="source"/> into a new temporary file, refusing more than <paramref name="maxBytes"/>;
    /// deletes it on any failure.
    /// </summary>
    public static async Task<string> WriteTempAsync(Stream source, string directory, string fileName, long maxBytes, CancellationToken cancellationToken)
    {
        var temp = TempPathFor(directory, fileName);
        try
        {
            await using var target = OpenNew(temp);
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                int read;
                long total = 0;
                // Network read failures propagate as they are (the download may be retried);
                // disk write failures become OutputFailed (retrying the download would not help).
                while ((read = await source.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        throw TooLarge(fileName, maxBytes);
                    }

                    await WriteLocalAsync(target, buffer.AsMemory(0, read), temp, cancellationToken).ConfigureAwait(false);
                }

                await WriteLocalAsync(target, ReadOnlyMemory<byte>.Empty, temp, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return temp;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Decodes base64 (a "bytes" mode response) into a new temporary file.</summary>
    public static async Task<string> WriteTempFromBase64Async(string base64, string directory, string fileName, long maxBytes, CancellationToken cancellationToken)
    {
        if (base64.Length / 4L * 3 > maxBytes + 3)
        {
            throw TooLarge(fileName, maxBytes);
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new PhotaException(ErrorKind.InvalidResult, "The Phota API returned an image that is not valid base64.", e);
        }

        using var memory = new MemoryStream(bytes, writable: false);
        return await WriteTempAsync(memory, directory, fileName, maxBytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the format, then renames the temporary file to its final name. Returns the final full path.</summary>
    public static string Commit(string tempPath, string directory, string fileName, OutputFormat format, FileCollision collision)
    {
        try
        {
            Verify(tempPath, format);
            // Checking a name and moving onto it are two steps on Unix, so concurrent results that
            // want the same name claim names one at a time; without this, two could take one name.
            // Nothing is thrown while the lock is held: a refusal or an I/O failure comes out as a value
            // and is thrown once the lock is released.
            (string? saved, Exception? failure) outcome;
            lock (NameClaimLock)
            {
                try
                {
                    outcome = (MoveToFreeName(tempPath, directory, fileName, collision), null);
                }
                catch (Exception e)
                {
                    outcome = (null, e);
                }
            }

            if (outcome.failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(outcome.failure);
            }

            return outcome.saved!;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(tempPath);
            throw new PhotaException(ErrorKind.OutputFailed, $"Could not save {fileName} in {directory}: {e.Message}", e);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    private static readonly object NameClaimLock = new();

    private static string MoveToFreeName(string tempPath, string directory, string fileName, FileCollision collision)
    {
        var root = Path.GetFullPath(directory);
        for (var attempt = 1; attempt < 10_000; attempt++)
        {
            var candidateName = attempt == 1 ? fileName : OutputNaming.Alternative(fileName, attempt);
            var candidate = Path.GetFullPath(Path.Combine(root, candidateName));
            if (!string.Equals(Path.GetDirectoryName(candidate), root.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar), StringComparison.Ordinal))
            {
                throw new PhotaException(ErrorKind.OutputFailed, $"Refusing to write '{candidateName}' outside {root}.");
            }

            if (collision != FileCollision.Overwrite && (File.Exists(candidate) || Directory.Exists(candidate)))
            {
                if (collision == FileCollision.Fail)
                {
                    throw new PhotaException(ErrorKind.OutputFailed, $"{candidate} already exists.") { Cause = ErrorCause.OutputExists };
                }

                continue;
            }

            try
            {
                // Without overwrite the move fails if another writer took the name in the meantime.
                File.Move(tempPath, candidate, overwrite: collision == FileCollision.Overwrite);
                return candidate;
            }
            catch (IOException) when (collision == FileCollision.NextFreeName && File.Exists(candidate))
            {
            }
        }

        throw new PhotaException(ErrorKind.OutputFailed, $"No free file name for {fileName} in {root}.");
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void Verify(string path, OutputFormat format)
    {
        Span<byte> header = stackalloc byte[ImageFormatSniffer.HeaderLength];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1))
        {
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (!ImageFormatSniffer.Matches(header[..read], format))
        {
            var actual = ImageFormatSniffer.Detect(header[..read])?.ToString() ?? ImageFormatSniffer.DescribeUnknown(header[..read]);
            throw new PhotaException(ErrorKind.InvalidResult, $"The result is not a {format.Value.ToUpperInvariant()} image (it is {actual}); it was not saved.");
        }
    }

    private static async ValueTask WriteLocalAsync(FileStream target, ReadOnlyMemory<byte> data, string path, CancellationToken cancellationToken)
    {
        try
        {
            if (data.IsEmpty)
            {
                await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await target.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PhotaException(ErrorKind.OutputFailed, $"Cannot write {path}: {e.Message} Free some disk space or choose another output directory.", e);
        }
    }

    private static FileStream OpenNew(string path)
    {
        try
        {
            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PhotaException(ErrorKind.OutputFailed, $"Cannot write to {Path.GetDirectoryName(path)}: {e.Message} Choose an output directory you can write to.", e);
        }
    }
}
