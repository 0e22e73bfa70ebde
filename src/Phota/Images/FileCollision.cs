namespace Phota.Images;

/// <summary>What to do when an output file name is already taken.</summary>
public enum FileCollision
{
    /// <summary>Save under the next free name: <c>beach.enhanced (2).jpg</c>.</summary>
    NextFreeName,
    /// <summary>Replace the existing file (only when the caller asks for it).</summary>
    Overwrite,
    /// <summary>Fail the item with an error.</summary>
    Fail,
}
