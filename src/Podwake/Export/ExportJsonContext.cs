using System.Text.Json.Serialization;
using k8s.Models;

namespace Podwake.Export;

/// <summary>
/// Source-generated JSON metadata for exactly the objects podwake export writes (NativeAOT: no reflection). Unset
/// (null) fields are left out, as kubectl prints them; the models' own attributes give the field names and the
/// int-or-string and quantity forms.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(V1Deployment))]
[JsonSerializable(typeof(V1Service))]
[JsonSerializable(typeof(V1ConfigMap))]
[JsonSerializable(typeof(V1PersistentVolumeClaim))]
[JsonSerializable(typeof(KnativeService))]
internal sealed partial class ExportJsonContext : JsonSerializerContext;
