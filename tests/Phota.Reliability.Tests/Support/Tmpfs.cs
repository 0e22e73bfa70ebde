using System.Diagnostics;

namespace Phota.Reliability.Tests.Support;

/// <summary>
/// A tiny tmpfs mounted on a test folder, to make a disk that is really full or really read-only. Mounting needs
/// Linux and root; <see cref="TmpfsFactAttribute"/> skips a test, with the reason, where that is not possible.
/// </summary>
internal sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Why no tmpfs can be mounted here, or null when it can.</summary>
    public static readonly Lazy<string?> Unavailable = new(Probe);

    public static Tmpfs Mount(string path, int kilobytes)
    {
        Directory.CreateDirectory(path);
        var error = Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k,mode=0777", "tmpfs", path);
        if (error is not null)
        {
            throw new InvalidOperationException("mount failed: " + error);
        }

        return new Tmpfs(path);
    }

    /// <summary>Makes the file system read-only from now on (as a failing disk is remounted by the kernel).</summary>
    public void MakeReadOnly()
    {
        var error = Run("mount", "-o", "remount,ro", Path);
        if (error is not null)
        {
            throw new InvalidOperationException("remount failed: " + error);
        }
    }

    /// <summary>Fills every free byte with one file; returns its path (delete it to free the space).</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler.bin");
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        var block = new byte[1024];
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // Full.
        }

        // Any single bytes left over too.
        try
        {
            while (true)
            {
                stream.Write(block.AsSpan(0, 1));
            }
        }
        catch (IOException)
        {
        }

        return filler;
    }

    public void Dispose()
    {
        for (var attempt = 0; attempt < 20 && Run("umount", Path) is not null; attempt++)
        {
            Thread.Sleep(100);
        }
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "a tmpfs can be mounted only on Linux";
        }

        if (Environment.UserName != "root")
        {
            return $"mounting a tmpfs needs root (running as {Environment.UserName})";
        }

        var probe = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "phota-tmpfs-probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (Mount(probe, 64))
            {
            }

            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "mounting a tmpfs failed here (" + e.Message.Trim() + ")";
        }
        finally
        {
            try
            {
                Directory.Delete(probe);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string? Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null : $"{command} exited with {process.ExitCode}: {error}";
    }
}

/// <summary>A fact that needs a mountable tmpfs; skipped, with the reason printed, where none can be mounted.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.Unavailable.Value is { } reason)
        {
            Skip = "Needs a tmpfs to make a full or read-only disk: " + reason + ".";
        }
    }
}
