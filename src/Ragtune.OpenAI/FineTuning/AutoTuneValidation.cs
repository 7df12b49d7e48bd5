using Microsoft.Extensions.Options;
using Ragtune.Core.FineTuning.Tuning;

namespace Ragtune.OpenAI.FineTuning;

/// <summary>Fails start-up when auto-tune is on and there is no fine-tuning service to tune with, naming both settings.</summary>
internal sealed class AutoTuneValidation(IOptions<FineTuningServiceOptions> service) : IValidateOptions<TuningOptions>
{
    public ValidateOptionsResult Validate(string? name, TuningOptions options) =>
        options.AutoTune && !service.Value.IsConfigured
            ? ValidateOptionsResult.Fail(
                $"{TuningOptions.SectionName}:AutoTune is true, but {FineTuningServiceOptions.SectionName}:Provider is not set: set it to '{FineTuningServiceOptions.OpenAICompatible}' or '{FineTuningServiceOptions.AzureOpenAI}', or turn AutoTune off.")
            : ValidateOptionsResult.Success;
}
