using System.Text.Json.Serialization;

namespace WgIsolate.Operator.Kube;

/// <summary>One RFC 6902 operation, as sent in an application/json-patch+json body.</summary>
public sealed record JsonPatchOperation(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Value = null)
{
    public static JsonPatchOperation Add(string path, object value) => new("add", path, value);

    public static JsonPatchOperation Remove(string path) => new("remove", path);

    public static JsonPatchOperation Replace(string path, object value) => new("replace", path, value);

    /// <summary>Fails the whole patch (422) unless the value at <paramref name="path"/> equals <paramref name="value"/>.</summary>
    public static JsonPatchOperation Test(string path, object value) => new("test", path, value);
}
