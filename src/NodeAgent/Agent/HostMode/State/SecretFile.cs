using System.Text;

namespace WgIsolate.NodeAgent.HostMode.State;

/// <summary>A key kept in a file of its own, owner-only: read when it exists, else generated and written
/// atomically, so no half-written key is ever read back. Errors name the file, never the content.</summary>
internal static class SecretFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string GetOrCreate(string path, Func<string> generate)
    {
        if (File.Exists(path))
        {
            return Read(path);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = generate();
        AtomicFile.Write(path, Encoding.ASCII.GetBytes(key + "\n"), OwnerOnly);
        return key;
    }

    public static string Read(string path)
    {
        var text = File.ReadAllText(path).Trim();
        if (text.Length != 44 || !Convert.TryFromBase64String(text, new byte[32], out var written) || written != 32)
        {
            throw new InvalidDataException($"{path}: not a WireGuard key (expected 44 characters of base64 for 32 bytes)");
        }

        return text;
    }
}
