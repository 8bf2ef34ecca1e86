namespace WgIsolate.Core.Manifests;

/// <summary>One problem in one manifest, located as precisely as the input allows.</summary>
public sealed record ManifestError(string Source, int Document, int? Line, string Object, string Path, string Message)
{
    public override string ToString()
    {
        var where = Line is { } line ? $"{Source} (document {Document}, line {line})" : $"{Source} (document {Document})";
        var field = Path.Length == 0 ? "" : $"{Path}: ";
        return $"{where} {Object}: {field}{Message}";
    }
}
