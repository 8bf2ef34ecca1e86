using System.Net;
using System.Text.Json.Nodes;
using WgIsolate.KubeApiDouble.Tests.Support;

namespace WgIsolate.KubeApiDouble.Tests;

public sealed class SchemaValidationTests
{
    [Fact]
    public async Task Create_AgainstTheCrdSchema_FailsWith422NamingEveryBadField()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var widget = Widgets.New("w", iface: "Bad_Interface_Name_Too_Long", listenPort: 70000);
        widget["spec"]!["protocol"] = "SCTP";
        widget["spec"]!["routes"] = new JsonArray("a", "b", "c", "d");
        widget["spec"]!["labels"] = new JsonObject { ["x"] = 5 };
        widget["spec"]!["target"] = 1.5;

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => client.CreateAsync(widget));

        Assert.Equal("Invalid", status.Reason);
        Assert.Equal(
            [
                ("spec.interface", "FieldValueInvalid"), ("spec.interface", "FieldValueTooLong"),
                ("spec.labels.x", "FieldValueTypeInvalid"), ("spec.listenPort", "FieldValueInvalid"),
                ("spec.protocol", "FieldValueNotSupported"), ("spec.routes", "FieldValueTooMany"),
                ("spec.target", "FieldValueTypeInvalid"),
            ],
            status.Details.Causes.Select(c => (c.Field, c.Reason)).Order());
        Assert.Contains("spec.listenPort in body should be less than or equal to 65535", status.Message);
        Assert.Equal("widgets", status.Details.Kind);
    }

    [Fact]
    public async Task Create_WithoutARequiredField_NamesIt()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var widget = Widgets.New("w");
        widget["spec"] = new JsonObject { ["listenPort"] = 1 };

        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => client.CreateAsync(widget));

        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal(("spec.interface", "FieldValueRequired"), (cause.Field, cause.Reason));
    }

    [Fact]
    public async Task Update_AgainstTheCrdSchema_IsValidatedToo()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var created = await client.CreateAsync(Widgets.New("w"));

        created["spec"]!["listenPort"] = 0;
        var status = await ApiAssert.FailsWithAsync(HttpStatusCode.UnprocessableEntity, () => client.ReplaceWidgetAsync(created));

        Assert.Equal("spec.listenPort", Assert.Single(status.Details.Causes).Field);
        Assert.False((await client.GetWidgetAsync("w"))["spec"]!.AsObject().ContainsKey("listenPort"));
    }

    [Fact]
    public async Task UnknownFields_ArePrunedNotRejected_ExceptWherePreserved_AndDefaultsApply()
    {
        await using var api = await ApiDouble.StartAsync();
        var client = api.CreateClient();
        var widget = Widgets.New("w");
        widget["spec"]!["unknown"] = "dropped";
        widget["spec"]!["extra"] = new JsonObject { ["anything"] = new JsonObject { ["kept"] = true } };
        widget["spec"]!["labels"] = new JsonObject { ["free-form"] = "kept" };
        widget["spec"]!["note"] = null;
        widget["spec"]!["target"] = "http";
        widget["topLevelUnknown"] = 1;

        var created = await client.CreateAsync(widget);

        var spec = created["spec"]!.AsObject();
        Assert.False(spec.ContainsKey("unknown"));
        Assert.False(created.ContainsKey("topLevelUnknown"));
        Assert.True((bool)spec["extra"]!["anything"]!["kept"]!);
        Assert.Equal("kept", (string?)spec["labels"]!["free-form"]);
        Assert.Equal("http", (string?)spec["target"]);
        Assert.Equal(1, (int)spec["replicas"]!);
    }
}
