namespace Phota.Tests;

public class OutputNamingTests
{
    [Theory]
    [InlineData("../../x", "_.._x")]
    [InlineData("..", "image")]
    [InlineData("CON", "_CON")]
    [InlineData("con.txt", "_con.txt")]
    [InlineData("LPT1", "_LPT1")]
    [InlineData("a<b>c:d\"e|f?g*h", "a_b_c_d_e_f_g_h")]
    [InlineData("  trailing dots... ", "trailing dots")]
    [InlineData("tab\there\u0000nul", "tab_here_nul")]
    [InlineData("Ünïcödé 写真", "Ünïcödé 写真")]
    [InlineData("C:\\Windows\\evil", "C__Windows_evil")]
    [InlineData("", "image")]
    public void Sanitize_makes_a_safe_single_file_name(string input, string expected)
    {
        var result = OutputNaming.Sanitize(input);
        Assert.Equal(expected, result);
        Assert.DoesNotContain('/', result);
        Assert.DoesNotContain('\\', result);
        Assert.Equal(result, Path.GetFileName(result));
    }

    [Fact]
    public void Sanitize_bounds_the_length_without_splitting_surrogates()
    {
        var result = OutputNaming.Sanitize(new string('a', 79) + "😀😀");
        Assert.True(result.Length <= OutputNaming.MaxNameLength);
        Assert.False(char.IsHighSurrogate(result[^1]));
    }

    [Fact]
    public void Names_follow_input_operation_and_variation()
    {
        using var dir = new TempDir();
        var beach = ImageInput.FromFile(dir.File("beach.png", TestImages.Png(8, 8)));
        var stem = OutputNaming.Stem(StudioOperation.Enhance, [beach], null);
        Assert.Equal("beach.enhanced", stem);
        Assert.Equal("beach.enhanced.jpg", OutputNaming.FileName(stem, 1, OutputFormat.Jpg));
        Assert.Equal("beach.enhanced-2.jpg", OutputNaming.FileName(stem, 2, OutputFormat.Jpg));
        Assert.Equal("beach.edited-3.png", OutputNaming.FileName(OutputNaming.Stem(StudioOperation.Edit, [beach, beach], "x"), 3, OutputFormat.Png));
        Assert.Equal("a.remixed", OutputNaming.Stem(StudioOperation.Remix, [ImageInput.FromUrl("https://h/x/a.webp")], null));
    }

    [Fact]
    public void Generate_names_are_a_bounded_slug_of_the_prompt()
    {
        Assert.Equal("generate-a-headshot-of-abc123-in-an-office", OutputNaming.Stem(StudioOperation.Generate, [], "A headshot of [[abc123]] in an office!"));
        var longStem = OutputNaming.Stem(StudioOperation.Generate, [], string.Join(' ', Enumerable.Repeat("word", 100)));
        Assert.True(longStem.Length <= "generate-".Length + 60);
        Assert.EndsWith("word", longStem);
        Assert.Equal("generate", OutputNaming.Stem(StudioOperation.Generate, [], "!!!"));
    }

    [Fact]
    public void Commit_never_overwrites_unless_asked_and_leaves_no_temp_files()
    {
        using var dir = new TempDir();
        var png = TestImages.Png(8, 8);
        dir.File("beach.enhanced.png", [1, 2, 3]);

        string Save(FileCollision collision)
        {
            var temp = ResultFileWriter.TempPathFor(dir.Path, "beach.enhanced.png");
            File.WriteAllBytes(temp, png);
            return ResultFileWriter.Commit(temp, dir.Path, "beach.enhanced.png", OutputFormat.Png, collision);
        }

        Assert.Equal(Path.Combine(dir.Path, "beach.enhanced (2).png"), Save(FileCollision.NextFreeName));
        Assert.Equal(Path.Combine(dir.Path, "beach.enhanced (3).png"), Save(FileCollision.NextFreeName));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(Path.Combine(dir.Path, "beach.enhanced.png")));
        var error = Assert.Throws<PhotaException>(() => Save(FileCollision.Fail));
        Assert.Equal(ErrorKind.OutputFailed, error.Kind);
        Assert.Equal(ErrorCause.OutputExists, error.Cause);
        Assert.Equal(Path.Combine(dir.Path, "beach.enhanced.png"), Save(FileCollision.Overwrite));
        Assert.Equal(png, File.ReadAllBytes(Path.Combine(dir.Path, "beach.enhanced.png")));
        Assert.Empty(dir.Files("*.partial-*"));
    }

    [Fact]
    public async Task Concurrent_results_wanting_the_same_name_each_get_a_file_of_their_own()
    {
        // The race window is small: repeat it enough rounds that an unsafe claim shows.
        for (var round = 0; round < 25; round++)
        {
            await RaceForOneNameAsync();
        }
    }

    private static async Task RaceForOneNameAsync()
    {
        using var dir = new TempDir();
        const int results = 32;
        // Each result carries a distinct payload after the PNG header, so a lost file would show.
        var payloads = Enumerable.Range(0, results).Select(i => TestImages.Png(8, 8).Concat(BitConverter.GetBytes(i)).ToArray()).ToList();
        var temps = payloads.Select(p =>
        {
            var temp = ResultFileWriter.TempPathFor(dir.Path, "beach.enhanced.png");
            File.WriteAllBytes(temp, p);
            return temp;
        }).ToList();

        using var start = new ManualResetEventSlim();
        var saves = temps.Select(temp => Task.Factory.StartNew(() =>
        {
            start.Wait();
            return ResultFileWriter.Commit(temp, dir.Path, "beach.enhanced.png", OutputFormat.Png, FileCollision.NextFreeName);
        }, TaskCreationOptions.LongRunning)).ToList();
        start.Set();
        var paths = await Task.WhenAll(saves);

        Assert.Equal(results, paths.Distinct().Count());
        var contents = paths.Select(p => Convert.ToHexString(File.ReadAllBytes(p))).ToHashSet();
        Assert.Equal(payloads.Select(Convert.ToHexString).ToHashSet(), contents);
        Assert.Empty(dir.Files("*.partial-*"));
    }

    [Fact]
    public void Commit_refuses_a_result_in_the_wrong_format_and_deletes_it()
    {
        using var dir = new TempDir();
        var temp = ResultFileWriter.TempPathFor(dir.Path, "x.jpg");
        File.WriteAllBytes(temp, TestImages.Png(8, 8));
        var error = Assert.Throws<PhotaException>(() => ResultFileWriter.Commit(temp, dir.Path, "x.jpg", OutputFormat.Jpg, FileCollision.NextFreeName));
        Assert.Equal(ErrorKind.InvalidResult, error.Kind);
        Assert.Empty(dir.Files());
    }
}
