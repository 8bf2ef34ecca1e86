namespace WgIsolate.Core.Api;

/// <summary>The API group and version every WgIsolate resource belongs to.</summary>
public static class ApiGroup
{
    public const string Group = "wgisolate.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
}
