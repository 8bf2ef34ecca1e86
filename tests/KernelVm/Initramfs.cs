using System.Text.RegularExpressions;

namespace WgIsolate.KernelVm;

/// <summary>
/// A gzip newc initramfs: static busybox, iproute2's ip and wg (with the libraries ldd names), the kernel's
/// WireGuard modules in insmod order, optional extra binaries and shared libraries (each with what ldd names), and
/// an init that runs one scenario script.
/// </summary>
public static partial class Initramfs
{
    public const string PassMarker = "VMTEST PASS";
    public const string FailMarker = "VMTEST FAIL";

    public static string Build(KernelPackage kernel, string scenarioScript, IReadOnlyDictionary<string, string>? extraFiles = null,
        IReadOnlyList<string>? sharedLibraries = null)
    {
        var busybox = "/bin/busybox";
        if (!File.Exists(busybox) || !HostCommand.Run("file", $"-L {busybox}").Contains("statically linked", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("a static /bin/busybox is missing: install busybox-static (scripts/install-test-deps.sh does)");
        }
        var ip = HostCommand.Require("ip", "iproute2");
        var wg = HostCommand.Require("wg", "wireguard-tools");
        HostCommand.Require("cpio", "cpio");

        var work = Directory.CreateTempSubdirectory("wgisolate-initramfs-").FullName;
        var root = Path.Combine(work, "root");
        foreach (var dir in new[] { "bin", "sbin", "proc", "sys", "dev", "run", "tmp", "modules", "probe" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        File.Copy(busybox, Path.Combine(root, "bin", "busybox"));
        File.CreateSymbolicLink(Path.Combine(root, "bin", "sh"), "busybox");
        CopyWithLibraries(ip, Path.Combine(root, "sbin", "ip"), root);
        CopyWithLibraries(wg, Path.Combine(root, "sbin", "wg"), root);
        // NativeAOT binaries link libm besides libc and the loader.
        CopyLibrary("/lib/x86_64-linux-gnu/libm.so.6", root);
        foreach (var library in sharedLibraries ?? [])
        {
            if (!File.Exists(library))
            {
                throw new InvalidOperationException($"{library} is missing: scripts/install-test-deps.sh installs the package that has it");
            }

            CopyWithLibraries(library, Path.Combine(root, library.TrimStart('/')), root);
        }

        foreach (var module in kernel.ModuleOrder)
        {
            File.Copy(Path.Combine(kernel.ModulesDirectory, module), Path.Combine(root, "modules", module));
        }
        File.WriteAllLines(Path.Combine(root, "modules", "order"), kernel.ModuleOrder);

        foreach (var (inside, host) in extraFiles ?? new Dictionary<string, string>())
        {
            var target = Path.Combine(root, inside.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(host, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(host));
        }

        WriteExecutable(Path.Combine(root, "init"), InitScript.Render(scenarioScript));

        var image = Path.Combine(work, "initramfs.cpio.gz");
        HostCommand.Run("sh", $"-c \"find . | cpio -o -H newc --quiet | gzip -1 > {image}\"", root);
        Directory.Delete(root, recursive: true);
        return image;
    }

    private static void CopyWithLibraries(string binary, string target, string root)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(binary, target, overwrite: true);
        foreach (Match match in LddPath().Matches(HostCommand.Run("ldd", binary)))
        {
            CopyLibrary(match.Groups["path"].Value, root);
        }
    }

    // Same relative path as on the host (the loader's path is baked into every binary); symlinks followed.
    private static void CopyLibrary(string library, string root)
    {
        var target = Path.Combine(root, library.TrimStart('/'));
        if (File.Exists(target)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.GetFullPath(new FileInfo(library).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? library), target);
    }

    private static void WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    [GeneratedRegex(@"(?<path>/[^\s]+) \(0x", RegexOptions.Multiline)]
    private static partial Regex LddPath();
}
