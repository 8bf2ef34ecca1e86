namespace WgIsolate.Datapath.PrivilegedTests.Support;

/// <summary>A fact that runs only when privileged tests are opted in; whether root is there is checked by the fixture.</summary>
public sealed class PrivilegedFactAttribute : FactAttribute
{
    public PrivilegedFactAttribute()
    {
        if (!PrivilegedEnvironment.OptedIn)
        {
            Skip = PrivilegedEnvironment.NotOptedInReason;
        }
    }
}
