using System.Text.Json;
using Podwake.Export;
using YamlDotNet.RepresentationModel;
using Xunit;

namespace Podwake.Tests.Export;

/// <summary>
/// The Knative Services <c>podwake export knative</c> writes, checked against Knative Serving's own v1 Service schema
/// (a fixture from its CRD: schema/README.md) with <see cref="StructuralSchema"/>.
/// </summary>
public sealed class KnativeSchemaTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("tests/Podwake.Tests/Export/schema/knative-serving-service-v1.json"))).RootElement;

    [Fact]
    public void KnativeExport_OfEveryCase_MatchesTheServiceSchema()
    {
        var checkedCount = 0;
        foreach (var name in Directory.GetDirectories(ExportGoldenTests.CasesRoot).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal))
        {
            foreach (var document in KnativeDocuments(Exporter.Export([ExportGoldenTests.Load(name!)], ExportFormat.Knative)))
            {
                Assert.Empty(StructuralSchema.Check(document, Schema).Select(problem => $"{name}: {problem}"));
                checkedCount++;
            }
        }

        // hello and knative-http are Knative Services; the others fall back to Deployments.
        Assert.Equal(2, checkedCount);
    }

    [Fact]
    public void IdleNever_IsMinScaleOne_AndMatchesTheSchema()
    {
        var spec = ExportGoldenTests.Load("hello") with { Idle = null };

        var document = Assert.Single(KnativeDocuments(Exporter.Export([spec], ExportFormat.Knative)));

        Assert.Empty(StructuralSchema.Check(document, Schema));
        var annotations = (YamlMappingNode)At(document, "spec", "template", "metadata", "annotations");
        Assert.Equal("1", annotations.Children[new YamlScalarNode(KnativeExporter.MinScale)].ToString());
        Assert.False(annotations.Children.ContainsKey(new YamlScalarNode(KnativeExporter.RetentionPeriod)));
    }

    /// <summary>The check can fail: an unknown field, a wrong type, a missing required field, each in a real export.</summary>
    [Theory]
    [InlineData("unknown field", ".spec.template.spec.containerConcurrencyLimit: unknown field")]
    [InlineData("wrong type", ".spec.template.spec.containers[0].ports[0].containerPort: string, expected integer")]
    [InlineData("missing containers", ".spec.template.spec.containers: required, missing")]
    [InlineData("annotation not a string", ".spec.template.metadata.annotations.autoscaling.knative.dev/min-scale: integer, expected string")]
    public void BrokenKnativeExport_IsReported(string breakage, string problem)
    {
        var document = Assert.Single(KnativeDocuments(Exporter.Export([ExportGoldenTests.Load("hello")], ExportFormat.Knative)));
        var revision = (YamlMappingNode)At(document, "spec", "template", "spec");
        switch (breakage)
        {
            case "unknown field":
                revision.Add("containerConcurrencyLimit", "10");
                break;
            case "wrong type":
                var port = (YamlMappingNode)((YamlSequenceNode)At(document, "spec", "template", "spec", "containers", "0", "ports"))[0];
                port.Children[new YamlScalarNode("containerPort")] = new YamlScalarNode("8080") { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };
                break;
            case "missing containers":
                revision.Children.Remove(new YamlScalarNode("containers"));
                break;
            default:
                var annotations = (YamlMappingNode)At(document, "spec", "template", "metadata", "annotations");
                annotations.Children[new YamlScalarNode(KnativeExporter.MinScale)] = new YamlScalarNode("0") { Style = YamlDotNet.Core.ScalarStyle.Plain };
                break;
        }

        Assert.Contains(StructuralSchema.Check(document, Schema), p => p.StartsWith(problem, StringComparison.Ordinal));
    }

    /// <summary>The documents of a YAML stream whose apiVersion is Knative Serving's.</summary>
    internal static List<YamlNode> KnativeDocuments(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Select(d => d.RootNode)
            .Where(root => root is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode("apiVersion"), out var version) && version.ToString() == "serving.knative.dev/v1")
            .ToList();
    }

    private static YamlNode At(YamlNode node, params string[] keys)
    {
        foreach (var key in keys)
        {
            node = node is YamlSequenceNode list ? list[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] : ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }

        return node;
    }
}
