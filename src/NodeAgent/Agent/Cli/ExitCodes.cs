namespace WgIsolate.NodeAgent.Cli;

internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something failed while applying, or an app is not ready.</summary>
    public const int Failed = 1;

    /// <summary>The input was invalid; nothing was applied.</summary>
    public const int InvalidInput = 2;
}
