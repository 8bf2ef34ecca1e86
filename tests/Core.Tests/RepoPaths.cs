namespace WgIsolate.Core.Tests;

/// <summary>Files of the repository that tests read: found by walking up from the test binary to the solution.</summary>
internal static class RepoPaths
{
    public static readonly string Root = FindRoot();

    public static string Examples => Path.Combine(Root, "examples");

    public static string Crds => Path.Combine(Root, "crds");

    public static string Chart => Path.Combine(Root, "charts", "wgisolate");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WgIsolate.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"WgIsolate.sln not found above {AppContext.BaseDirectory}");
    }
}
