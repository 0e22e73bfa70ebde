using System.Reflection;
using Phota.Emulator.Options;

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
        var photo = TestImages.Synthetic(60, 80, ImageFormatKind.Jpeg, seed: 3);
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
        var result = EmulatorCommandLine.Parse(["--static-dir", _root]);
        Assert.Equal(_root, result.Options!.StaticDirectory);
    }

    [Fact]
    public void A_relative_folder_is_resolved_against_the_folder_the_emulator_is_started_from()
    {
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, _root);
        Assert.False(Path.IsPathRooted(relative));

        Assert.Equal(_root, EmulatorCommandLine.Parse(["--static-dir", relative]).Options!.StaticDirectory);
        Assert.Equal(Environment.CurrentDirectory, EmulatorCommandLine.Parse(["--static-dir", "."]).Options!.StaticDirectory);
    }

    [Fact]
    public void A_missing_folder_is_refused_with_its_full_path()
    {
        string missing = Path.Combine(_root, "no-such-folder");
        var result = EmulatorCommandLine.Parse(["--static-dir", Path.GetRelativePath(Environment.CurrentDirectory, missing)]);

        Assert.Null(result.Options);
        Assert.Equal($"--static-dir: the folder '{missing}' does not exist.", result.Error);
    }

    [Fact]
    public async Task The_banner_names_the_folder_served_and_its_url()
    {
        await using var emulator = await EmulatorFixture.StartAsync(o => o.StaticDirectory = _root);
        var banner = EmulatorProgram.StartupBanner(emulator, emulator.Options).ToList();

        Assert.Contains($"Static files: {_root} at {emulator.BaseAddress}_emulator/static/<path>", banner);
        Assert.DoesNotContain(EmulatorProgram.StartupBanner(emulator, new EmulatorOptions()), l => l.StartsWith("Static files", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dotnet_run_serves_a_relative_folder_of_the_directory_it_was_run_in()
    {
        // What the README tells users to type: `dotnet run --project src/Phota.Emulator -- --static-dir samples`. dotnet run
        // would start the emulator in its project folder unless the project says otherwise.
        Directory.CreateDirectory(Path.Combine(_root, "photos"));
        await File.WriteAllBytesAsync(Path.Combine(_root, "photos", "a.png"), [1, 2, 3]);
        using var emulator = ChildProcess.Start(ChildProcess.DotNetHost,
            ["run", "--project", EmulatorProject, "-c", BuildConfiguration, "--no-build", "--", "--static-dir", "photos", "--urls", "http://127.0.0.1:0"], _root);
        await emulator.WaitForLineAsync("Press Ctrl+C", TimeSpan.FromSeconds(120));
        var lines = emulator.StandardOutput.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        string? listening = lines.SingleOrDefault(l => l.StartsWith("Phota API emulator listening on ", StringComparison.Ordinal));
        Assert.True(listening is not null, $"The emulator did not start: {emulator.Output}");
        var baseAddress = new Uri(listening["Phota API emulator listening on ".Length..].Split(',')[0].Trim() + "/");
        Assert.Contains($"Static files: {Path.Combine(_root, "photos")} at {baseAddress}_emulator/static/<path>", lines);

        using var client = new HttpClient { BaseAddress = baseAddress };
        Assert.Equal([1, 2, 3], await client.GetByteArrayAsync("_emulator/static/a.png"));
    }

    private static string EmulatorProject => Path.Combine(Metadata("RepositoryRoot"), "src", "Phota.Emulator", "Phota.Emulator.csproj");

    private static string BuildConfiguration => Metadata("Configuration");

    private static string Metadata(string key) =>
        typeof(StaticFileTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
