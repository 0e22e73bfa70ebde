using System.Net;
using Phota.Emulator.Imaging;
using Phota.Testing;

namespace Phota.Emulator.Tests;

/// <summary>--static-dir: local photos served without a key, so they can be passed to the API as URLs.</summary>
public sealed class StaticFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("phota-static-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Serves_files_inside_the_folder_without_a_key_and_nothing_outside_it()
    {
        Directory.CreateDirectory(Path.Combine(_root, "portraits"));
        byte[] photo;
        using (var buffer = new MemoryStream())
        {
            SyntheticImage.Render(buffer, 60, 80, ImageFormatKind.Jpeg, seed: 3);
            photo = buffer.ToArray();
        }
        await File.WriteAllBytesAsync(Path.Combine(_root, "portraits", "person 1.jpg"), photo);
        string outside = Path.Combine(Path.GetDirectoryName(_root)!, Path.GetFileName(_root) + "-secret.txt");
        await File.WriteAllTextAsync(outside, "not to be served");
        try
        {
            await using var emulator = await EmulatorFixture.StartAsync(o => o.StaticDirectory = _root);
            using var client = EmulatorFixture.CreateClient(emulator, apiKey: null);

            using var ok = await client.GetAsync("/_emulator/static/portraits/person%201.jpg");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("image/jpeg", ok.Content.Headers.ContentType?.MediaType);
            Assert.Equal(photo, await ok.Content.ReadAsByteArrayAsync());

            using var missing = await client.GetAsync("/_emulator/static/portraits/nobody.jpg");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

            using var escape = await client.GetAsync($"/_emulator/static/..%2F{Path.GetFileName(outside)}");
            Assert.Equal(HttpStatusCode.NotFound, escape.StatusCode);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task Without_the_option_nothing_is_served()
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "a.jpg"), "x");
        await using var emulator = await EmulatorFixture.StartAsync();
        using var client = EmulatorFixture.CreateClient(emulator, apiKey: null);
        using var response = await client.GetAsync("/_emulator/static/a.jpg");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void The_command_line_sets_the_folder()
    {
        var result = Options.EmulatorCommandLine.Parse(["--static-dir", _root]);
        Assert.Equal(_root, result.Options!.StaticDirectory);
    }
}
