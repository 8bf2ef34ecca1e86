using WgIsolate.Core.Manifests;
using WgIsolate.Core.Validation;

namespace WgIsolate.NodeAgent.Cli;

/// <summary>Reads every *.yaml of a folder (not recursively, in name order).</summary>
internal static class ManifestFolder
{
    /// <summary>One all-or-nothing set: any problem anywhere and no app is returned.</summary>
    public static ManifestSet Load(string directory) =>
        Files(directory) is { } files ? ManifestLoader.Load(files, ValidationOptions.HostMode) : Missing(directory);

    /// <summary>`--skip-invalid`: the apps of every valid file, and the problems of the others.</summary>
    public static ManifestSet LoadSkippingInvalid(string directory)
    {
        if (Files(directory) is not { } files)
        {
            return Missing(directory);
        }

        var perFile = files.Select(f => ManifestLoader.Load([f], ValidationOptions.HostMode)).ToList();
        return new ManifestSet([.. perFile.SelectMany(s => s.Apps)], [.. perFile.SelectMany(s => s.Errors)]);
    }

    /// <summary>Prints every problem, then what was done about them.</summary>
    public static void ReportErrors(TextWriter error, ManifestSet set, bool skipped)
    {
        foreach (var problem in set.Errors)
        {
            error.WriteLine(problem);
        }

        var files = set.Errors.Select(e => e.Source).Distinct().Count();
        error.WriteLine(skipped
            ? $"{set.Errors.Count} problem(s) in {files} file(s): those files are skipped, the other apps are applied."
            : $"{set.Errors.Count} problem(s) in {files} file(s): nothing was applied (fix them, or pass --skip-invalid to apply the valid files).");
    }

    private static List<(string File, string Text)>? Files(string directory) => Directory.Exists(directory)
        ? Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal).Select(f => (f, File.ReadAllText(f))).ToList()
        : null;

    private static ManifestSet Missing(string directory) => new([], [new ManifestError(directory, 0, null, "(folder)", "", "does not exist")]);
}
