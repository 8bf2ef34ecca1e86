namespace WgIsolate.KernelVm;

/// <summary>
/// The current Debian kernel (linux-image-amd64's ABI package) reduced to vmlinuz plus the modules WireGuard and
/// nftables need (the converger reads every namespace's ruleset), cached per package version and module set so only
/// the first run downloads. The package is unpacked, never installed.
/// </summary>
public sealed record KernelPackage(string Version, string Vmlinuz, string ModulesDirectory, IReadOnlyList<string> ModuleOrder)
{
    public const string DefaultCacheRoot = "/var/cache/wgisolate-vm";
    private static readonly string[] RootModules = ["wireguard", "nf_tables"];

    public static KernelPackage Obtain(string? cacheRoot = null)
    {
        cacheRoot ??= Environment.GetEnvironmentVariable("WGISOLATE_VM_CACHE") ?? DefaultCacheRoot;
        var (package, version) = ResolveAbiPackage();
        var entry = Path.Combine(cacheRoot, $"{package}_{version}_{string.Join('+', RootModules)}");
        var orderFile = Path.Combine(entry, "modules", "order");
        if (!File.Exists(orderFile))
        {
            Populate(package, entry);
        }
        return new KernelPackage(
            $"{package} {version}",
            Path.Combine(entry, "vmlinuz"),
            Path.Combine(entry, "modules"),
            File.ReadAllLines(orderFile).Where(line => line.Length > 0).ToArray());
    }

    // linux-image-amd64 is a metapackage; the ABI package it depends on names the kernel we boot.
    private static (string Package, string Version) ResolveAbiPackage()
    {
        var depends = HostCommand.Run("apt-cache", "depends linux-image-amd64");
        var package = depends.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("Depends: linux-image-", StringComparison.Ordinal))
            .Select(line => line["Depends: ".Length..])
            .FirstOrDefault(name => char.IsDigit(name["linux-image-".Length]))
            ?? throw new InvalidOperationException(
                "apt-cache depends linux-image-amd64 names no kernel ABI package: run apt-get update");
        var version = HostCommand.Run("apt-cache", $"show --no-all-versions {package}")
            .Split('\n').First(line => line.StartsWith("Version: ", StringComparison.Ordinal))["Version: ".Length..].Trim();
        return (package, version);
    }

    /// <summary>The module and its dependencies, dependencies first.</summary>
    private static string[] InsmodOrder(string tree, string abi, string package, string module)
    {
        var insmods = HostCommand.Run("modprobe", $"-d {tree} -S {abi} --show-depends {module}")
            .Split('\n')
            .Where(line => line.StartsWith("insmod ", StringComparison.Ordinal))
            .Select(line => line["insmod ".Length..].Trim())
            .ToArray();
        if (insmods.Length == 0 || !Path.GetFileName(insmods[^1]).StartsWith(module, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{package} has no loadable {module} module");
        }

        return insmods;
    }

    private static void Populate(string package, string entry)
    {
        var scratch = Directory.CreateTempSubdirectory("wgisolate-kernel-");
        try
        {
            HostCommand.Run("apt-get", $"download -q {package}", scratch.FullName);
            var deb = Directory.GetFiles(scratch.FullName, "*.deb").Single();
            var tree = Path.Combine(scratch.FullName, "tree");
            HostCommand.Run("dpkg-deb", $"-x {deb} {tree}");
            var abi = Directory.GetDirectories(Path.Combine(tree, "lib", "modules")).Select(Path.GetFileName).Single()!;

            // The .deb ships no modules.dep (the postinst runs depmod), so generate it to get the insmod order.
            HostCommand.Require("depmod", "kmod");
            HostCommand.Run("depmod", $"-b {tree} {abi}");
            var insmods = RootModules.SelectMany(root => InsmodOrder(tree, abi, package, root)).Distinct().ToArray();

            var staging = entry + ".partial";
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            var modules = Directory.CreateDirectory(Path.Combine(staging, "modules")).FullName;
            File.Copy(Path.Combine(tree, "boot", $"vmlinuz-{abi}"), Path.Combine(staging, "vmlinuz"));
            foreach (var module in insmods)
            {
                File.Copy(module, Path.Combine(modules, Path.GetFileName(module)));
            }
            File.WriteAllLines(Path.Combine(modules, "order"), insmods.Select(Path.GetFileName)!);
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            Directory.CreateDirectory(Path.GetDirectoryName(entry)!);
            Directory.Move(staging, entry);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
