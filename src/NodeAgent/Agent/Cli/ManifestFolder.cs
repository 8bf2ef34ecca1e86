using WgIsolate.Core.Manifests;
using WgIsolate.Core.Validation;

namespace WgIsolate.NodeAgent.Cli;

/// <summary>Reads every *.yaml of a folder (not recursively, in name order) as one all-or-nothing set.</summary>
internal static class ManifestFolder
{
    public static ManifestSet Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return new ManifestSet([], [new ManifestError(directory, 0, null, "(folder)", "", "does not exist")]);
        }

        var files = Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal);
        return ManifestLoader.Load(files.Select(f => (f, File.ReadAllText(f))), ValidationOptions.HostMode);
    }
}
