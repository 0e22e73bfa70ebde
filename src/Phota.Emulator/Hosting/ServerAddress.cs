namespace Phota.Emulator.Hosting;

/// <summary>The address the server actually listens on (known once it has started); used for links in callbacks.</summary>
internal sealed class ServerAddress
{
    public Uri BaseAddress { get; set; } = new("http://127.0.0.1/");
}
