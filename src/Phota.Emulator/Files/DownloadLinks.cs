using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Phota.Emulator.Jobs;
using Phota.Emulator.State;

namespace Phota.Emulator.Files;

/// <summary>
/// Signed download links. Nothing is stored: the link names the job, the output index, the size,
/// the format and the expiry, and carries an HMAC-SHA256 of those under the server's link secret
/// (kept in the state file, so links survive a restart). The image is rendered when downloaded.
/// </summary>
internal sealed class DownloadLinks(EmulatorStore store)
{
    public const string PathPrefix = "/_emulator/files/";

    internal readonly record struct LinkTarget(string JobId, int Index, int Width, int Height, string Format, long ExpiresUnix);

    public string Create(Uri baseAddress, string jobId, int index, OutputSize size, string format, DateTimeOffset expires)
    {
        var target = new LinkTarget(jobId, index, size.Width, size.Height, format, expires.ToUnixTimeSeconds());
        var path = $"{PathPrefix}{Uri.EscapeDataString(jobId)}/{index}.{format}";
        var query = string.Create(CultureInfo.InvariantCulture,
            $"w={target.Width}&h={target.Height}&expires={target.ExpiresUnix}&token={Sign(target)}");
        return new Uri(baseAddress, path).GetLeftPart(UriPartial.Path) + "?" + query;
    }

    /// <summary>Parses and checks a link; null when anything in it was altered.</summary>
    public LinkTarget? Verify(string jobId, string file, IQueryCollection query)
    {
        var dot = file.LastIndexOf('.');
        if (dot <= 0) return null;
        if (!int.TryParse(file[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var index)) return null;
        var format = file[(dot + 1)..];
        if (!int.TryParse(query["w"], NumberStyles.None, CultureInfo.InvariantCulture, out var width) ||
            !int.TryParse(query["h"], NumberStyles.None, CultureInfo.InvariantCulture, out var height) ||
            !long.TryParse(query["expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
            return null;

        var target = new LinkTarget(jobId, index, width, height, format, expires);
        var expected = Encoding.ASCII.GetBytes(Sign(target));
        var given = Encoding.ASCII.GetBytes(query["token"].ToString());
        return CryptographicOperations.FixedTimeEquals(expected, given) ? target : null;
    }

    private string Sign(LinkTarget t)
    {
        var canonical = string.Create(CultureInfo.InvariantCulture,
            $"{t.JobId}\n{t.Index}\n{t.Width}\n{t.Height}\n{t.Format}\n{t.ExpiresUnix}");
        var mac = HMACSHA256.HashData(store.LinkSecret, Encoding.UTF8.GetBytes(canonical));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
