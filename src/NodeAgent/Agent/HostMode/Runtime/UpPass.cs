using WgIsolate.NodeAgent.HostMode.Planning;
using WgIsolate.NodeAgent.Cli;

namespace WgIsolate.NodeAgent.HostMode.Runtime;

/// <summary>
/// One `up` pass over the folder: read and validate every file, then allocate, converge and verify through the
/// session, and print what happened. Invalid input applies nothing (unless told to skip the invalid files).
/// </summary>
internal static class UpPass
{
    public static int Run(HostSession session, UpSettings settings, TextWriter output, TextWriter error)
    {
        var set = settings.SkipInvalid ? ManifestFolder.LoadSkippingInvalid(settings.Manifests) : ManifestFolder.Load(settings.Manifests);
        if (!set.IsValid)
        {
            ManifestFolder.ReportErrors(error, set, settings.SkipInvalid);
            if (!settings.SkipInvalid)
            {
                return ExitCodes.InvalidInput;
            }
        }

        UpResult result;
        try
        {
            result = session.Up(settings.Manifests, set.Apps, settings.EndpointAddress);
        }
        catch (HostPlanException ex)
        {
            error.WriteLine(ex.Message);
            error.WriteLine("nothing was applied.");
            return ExitCodes.InvalidInput;
        }

        UpReport.Write(output, result);
        return result.Ready ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
