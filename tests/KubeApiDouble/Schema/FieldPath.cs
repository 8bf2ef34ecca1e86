using System.Globalization;

namespace WgIsolate.KubeApiDouble.Schema;

/// <summary>Where a field sits in the document (<c>spec.interfaces[3].peers[0].endpoint</c>), spelled out only when a
/// cause names it.</summary>
internal sealed class FieldPath
{
    private readonly FieldPath? _parent;
    private readonly string? _name;
    private readonly int _index;

    private FieldPath(FieldPath? parent, string? name, int index) => (_parent, _name, _index) = (parent, name, index);

    public static FieldPath Root { get; } = new(null, null, -1);

    public FieldPath Child(string name) => new(this, name, -1);

    public FieldPath Item(int index) => new(this, null, index);

    /// <summary>The path as causes show it; the root is "&lt;root&gt;".</summary>
    public string Label => _parent is null ? "<root>" : ToString();

    public override string ToString()
    {
        if (_parent is null)
        {
            return "";
        }
        var parent = _parent.ToString();
        return _name is null ? $"{parent}[{_index.ToString(CultureInfo.InvariantCulture)}]"
            : parent.Length == 0 ? _name : $"{parent}.{_name}";
    }
}
