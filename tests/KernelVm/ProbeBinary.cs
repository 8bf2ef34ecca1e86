using System.Security.Cryptography;
using System.Text;

namespace WgIsolate.KernelVm;

/// <summary>
/// NativeAOT-publishes the in-VM probe, cached by a hash of every source and project file it is built from
/// (the probe plus the datapath and the build props), so unchanged inputs skip the ~1 min publish.
/// </summary>
public static class ProbeBinary
{
    public const string ProjectFolder = "tests/KernelWireGuardVm.Probe";
    public const string AssemblyName = "WgIsolate.KernelWireGuardVm.Probe";
    private static readonly string[] InputFolders = [ProjectFolder, "src/NodeAgent/Datapath"];
    private static readonly string[] InputFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json"];

    /// <summary>The published probe and the native libraries published beside it (NSec's libsodium), as initramfs
    /// entries under /probe: NativeAOT looks for them next to the binary.</summary>
    public static IReadOnlyDictionary<string, string> InitramfsFiles()
    {
        var binary = Publish();
        var files = Directory.EnumerateFiles(Path.GetDirectoryName(binary)!, "*.so")
            .ToDictionary(library => "probe/" + Path.GetFileName(library), library => library);
        files["probe/probe"] = binary;
        return files;
    }

    public static string Publish()
    {
        var repo = RepositoryRoot();
        var output = Path.Combine(repo, ".cache", "kernel-vm-probe", InputHash(repo));
        var binary = Path.Combine(output, AssemblyName);
        if (File.Exists(binary)) return binary;

        var arguments = $"publish {ProjectFolder} -c Release -r linux-x64 -o {output} -nologo -v q";
        // The ILCompiler calls plain `clang`; Debian may only have a versioned one.
        if (HostCommand.FindOnPath("clang") is null && HostCommand.FindOnPath("clang-14") is not null)
        {
            arguments += " -p:CppCompilerAndLinker=clang-14";
        }
        HostCommand.Run("dotnet", arguments, repo);
        return File.Exists(binary) ? binary : throw new InvalidOperationException($"dotnet publish produced no {binary}");
    }

    private static string InputHash(string repo)
    {
        var files = InputFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(repo, folder), "*", SearchOption.AllDirectories))
            .Where(path => !path.Contains("/bin/", StringComparison.Ordinal) && !path.Contains("/obj/", StringComparison.Ordinal))
            .Concat(InputFiles.Select(file => Path.Combine(repo, file)).Where(File.Exists))
            .Order(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(repo, file) + "\0"));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WgIsolate.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no WgIsolate.sln above {AppContext.BaseDirectory}");
    }
}
