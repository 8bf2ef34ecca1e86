namespace WgIsolate.NodeAgent.HostMode.State;

/// <summary>
/// Private keys, one per app, generated where they are used and never leaving the host. A systemd credential
/// (<c>$CREDENTIALS_DIRECTORY/&lt;app&gt;.key</c>, from LoadCredential=/SetCredential=) wins over the state
/// directory, as in the hand-made setup; otherwise the key lives in <c>&lt;state&gt;/keys/&lt;app&gt;.key</c>,
/// mode 0600, created atomically on first use. Keys are base64 text, as `wg genkey` writes them.
/// </summary>
internal sealed class KeyStore(string stateDirectory, string? credentialsDirectory, Func<string> generatePrivateKey)
{
    private string KeysDirectory => Path.Combine(stateDirectory, "keys");

    public static KeyStore FromEnvironment(string stateDirectory, Func<string> generatePrivateKey) =>
        new(stateDirectory, Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY"), generatePrivateKey);

    /// <summary>Returns the app's private key, generating and storing one when it has none.</summary>
    public string GetOrCreate(string app)
    {
        var credential = credentialsDirectory is null ? null : Path.Combine(credentialsDirectory, app + ".key");
        return credential is not null && File.Exists(credential)
            ? SecretFile.Read(credential)
            : SecretFile.GetOrCreate(Path.Combine(KeysDirectory, app + ".key"), generatePrivateKey);
    }

    /// <summary>Forgets a removed app's key; credentials are the administrator's and stay.</summary>
    public void Delete(string app) => File.Delete(Path.Combine(KeysDirectory, app + ".key"));

    public IReadOnlyList<string> StoredApps() => Directory.Exists(KeysDirectory)
        ? Directory.EnumerateFiles(KeysDirectory, "*.key").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList()
        : [];
}
