using System.Text;

namespace WgIsolate.NodeAgent.HostMode.State;

/// <summary>
/// Private keys, one per app, generated where they are used and never leaving the host. A systemd credential
/// (<c>$CREDENTIALS_DIRECTORY/&lt;app&gt;.key</c>, from LoadCredential=/SetCredential=) wins over the state
/// directory, as in the hand-made setup; otherwise the key lives in <c>&lt;state&gt;/keys/&lt;app&gt;.key</c>,
/// mode 0600, created atomically on first use. Keys are base64 text, as `wg genkey` writes them.
/// </summary>
internal sealed class KeyStore(string stateDirectory, string? credentialsDirectory, Func<string> generatePrivateKey)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private string KeysDirectory => Path.Combine(stateDirectory, "keys");

    public static KeyStore FromEnvironment(string stateDirectory, Func<string> generatePrivateKey) =>
        new(stateDirectory, Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY"), generatePrivateKey);

    /// <summary>Returns the app's private key, generating and storing one when it has none.</summary>
    public string GetOrCreate(string app)
    {
        if (credentialsDirectory is not null && File.Exists(Path.Combine(credentialsDirectory, app + ".key")))
        {
            return ReadKey(Path.Combine(credentialsDirectory, app + ".key"));
        }

        var path = Path.Combine(KeysDirectory, app + ".key");
        if (File.Exists(path))
        {
            return ReadKey(path);
        }

        Directory.CreateDirectory(KeysDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = generatePrivateKey();
        AtomicFile.Write(path, Encoding.ASCII.GetBytes(key + "\n"), OwnerOnly);
        return key;
    }

    /// <summary>Forgets a removed app's key; credentials are the administrator's and stay.</summary>
    public void Delete(string app) => File.Delete(Path.Combine(KeysDirectory, app + ".key"));

    public IReadOnlyList<string> StoredApps() => Directory.Exists(KeysDirectory)
        ? Directory.EnumerateFiles(KeysDirectory, "*.key").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList()
        : [];

    private static string ReadKey(string path)
    {
        var text = File.ReadAllText(path).Trim();
        // The message names the file, never the content: a malformed key is still a secret.
        if (text.Length != 44 || !Convert.TryFromBase64String(text, new byte[32], out var written) || written != 32)
        {
            throw new InvalidDataException($"{path}: not a WireGuard private key (expected 44 characters of base64 for 32 bytes)");
        }

        return text;
    }
}
