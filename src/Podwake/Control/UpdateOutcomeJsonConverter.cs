using Podwake.Updates;

namespace Podwake.Control;

/// <summary><see cref="UpdateOutcome"/> in JSON by its word (<see cref="UpdateOutcomeText"/>): <c>"rolled-back"</c>.</summary>
internal sealed class UpdateOutcomeJsonConverter() : EnumTextJsonConverter<UpdateOutcome>(UpdateOutcomeText.Table);
