using Podwake.Activation;

namespace Podwake.Control;

/// <summary><see cref="ServiceState"/> in the status JSON by its word (<see cref="ServiceStateText"/>): <c>"dormant"</c>.</summary>
internal sealed class ServiceStateJsonConverter() : EnumTextJsonConverter<ServiceState>(ServiceStateText.Table);
