namespace Phota.Emulator.Imaging;

/// <summary>The image formats the Phota API accepts as input (and Unknown for anything else).</summary>
public enum ImageFormatKind
{
    Unknown,
    Jpeg,
    Png,
    WebP,
    Heic,
}

/// <summary>
/// What <see cref="ImageProbe"/> read from an image's header. <see cref="Width"/> and <see cref="Height"/>
/// are 0 when the format was recognised but its header does not (or not yet, in truncated data) state them.
/// </summary>
public readonly record struct ImageInfo(ImageFormatKind Format, int Width, int Height);
