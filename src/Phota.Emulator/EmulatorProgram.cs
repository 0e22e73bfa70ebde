namespace Phota.Emulator;

/// <summary>Command-line entry point of the emulator.</summary>
public static class EmulatorProgram
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.WriteLine("Phota emulator: not implemented yet.");
        return Task.FromResult(1);
    }
}
