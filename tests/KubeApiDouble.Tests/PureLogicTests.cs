using System.Text.Json.Nodes;
using WgIsolate.KubeApiDouble.Patch;
using WgIsolate.KubeApiDouble.Schema;
using WgIsolate.KubeApiDouble.Storage;

namespace WgIsolate.KubeApiDouble.Tests;

public sealed class PureLogicTests
{
    [Theory]
    [InlineData("app in (a,b")]
    [InlineData("=value")]
    [InlineData("app in a,b")]
    public void LabelSelector_Malformed_IsABadRequest(string selector)
    {
        var error = Assert.Throws<ApiError>(() => LabelSelector.Parse(selector));

        Assert.Equal(400, error.Code);
    }

    [Fact]
    public void JsonPatch_MoveAndCopy_FollowRfc6902()
    {
        var document = JsonNode.Parse("""{"a":{"x":1},"list":[1,2]}""")!;

        var patched = JsonPatch.Apply(document, JsonNode.Parse("""
            [{"op":"copy","from":"/a/x","path":"/list/-"},
             {"op":"move","from":"/a","path":"/b"},
             {"op":"replace","path":"/list/0","value":9},
             {"op":"add","path":"/c~1d","value":true}]
            """));

        Assert.Equal("""{"list":[9,2,1],"b":{"x":1},"c/d":true}""", patched.ToJsonString());
        Assert.Equal("""{"a":{"x":1},"list":[1,2]}""", document.ToJsonString());
    }

    [Fact]
    public void MergePatch_ReplacesListsWhole()
    {
        var merged = MergePatch.Apply(JsonNode.Parse("""{"l":[1,2],"o":{"k":1}}"""), JsonNode.Parse("""{"l":[3],"o":{"j":2}}"""));

        Assert.Equal("""{"l":[3],"o":{"k":1,"j":2}}""", merged!.ToJsonString());
    }

    [Fact]
    public void YamlToJson_ResolvesPlainScalarsButKeepsQuotedOnesAsStrings()
    {
        var document = YamlToJson.ReadDocuments("""
            int: 51820
            quoted: "51820"
            real: 1.5
            flag: true
            nothing: null
            word: TCP
            """).Single();

        Assert.Equal("""{"int":51820,"quoted":"51820","real":1.5,"flag":true,"nothing":null,"word":"TCP"}""", document.ToJsonString());
    }

    [Fact]
    public void CrdLoader_ServesEveryServedVersion_WithItsScopeAndStatusSubresource()
    {
        var kinds = CrdLoader.LoadFolder(Support.ApiDouble.TestCrdFolder);

        Assert.Equal(
            [("gadgets", false, false), ("widgets", true, true)],
            kinds.Select(k => (k.Plural, k.Namespaced, k.HasStatusSubresource)).Order());
    }
}
