namespace WgIsolate.Core.Validation;

/// <summary>One problem with one field, e.g. <c>spec.egress.routes[2]: "10.0.0.300/8" is not a CIDR</c>.</summary>
public sealed record FieldError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
