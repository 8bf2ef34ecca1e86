namespace WgIsolate.Datapath.Convergence;

/// <summary>
/// Refuses a desired set that could never converge (two apps claiming one namespace, link name or port)
/// before anything is touched, so a bad set is not half-applied.
/// </summary>
internal static class DesiredSetValidator
{
    public static void Validate(IReadOnlyList<AppNetwork> desired)
    {
        var problems = new List<string>();
        Unique(desired, a => [a.Owner], "owner", problems);
        Unique(desired, a => [a.Netns], "namespace", problems);
        Unique(desired, a => a.Egress is null ? [a.WireGuard.Name] : [a.WireGuard.Name, a.Egress.HostInterface], "host link name", problems);
        Unique(desired, a => [a.WireGuard.Device.ListenPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], "listen port", problems);
        foreach (var app in desired)
        {
            foreach (var name in LinkNames(app).Where(n => !LinkNameRules.IsValid(n)))
            {
                problems.Add($"{app.Owner}: \"{name}\" is not a valid link name (1-15 bytes, no '/', ':' or whitespace)");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("the desired app networks conflict: " + string.Join("; ", problems));
        }
    }

    private static IEnumerable<string> LinkNames(AppNetwork app) =>
        app.Egress is null ? [app.WireGuard.Name] : [app.WireGuard.Name, app.Egress.HostInterface, app.Egress.AppInterface];

    private static void Unique(IReadOnlyList<AppNetwork> desired, Func<AppNetwork, string[]> keys, string what, List<string> problems)
    {
        foreach (var clash in desired.SelectMany(a => keys(a).Select(k => (Key: k, a.Owner))).GroupBy(x => x.Key).Where(g => g.Count() > 1))
        {
            problems.Add($"{what} {clash.Key} is claimed by {string.Join(" and ", clash.Select(x => x.Owner))}");
        }
    }
}
