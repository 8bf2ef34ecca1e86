using WgIsolate.Core.Api;

namespace WgIsolate.Core.Manifests;

/// <summary>An app read from a file, with where it came from (for messages about it later).</summary>
public sealed record ParsedApp(V1Alpha1IsolatedApp App, string Source, int Document)
{
    public string Key => $"{App.Metadata.NamespaceProperty ?? "default"}/{App.Metadata.Name}";
}

/// <summary>Either every app of the input, all valid, or every problem found: never a valid subset.</summary>
public sealed record ManifestSet(IReadOnlyList<ParsedApp> Apps, IReadOnlyList<ManifestError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
