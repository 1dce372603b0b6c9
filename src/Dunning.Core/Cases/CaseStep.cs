using Dunning.Common;

namespace Dunning.Cases;

/// <summary>
/// One step of a case (<see cref="CaseDecider.Step"/>): the case after every event the rules applied on their own, and
/// the one thing its host must do now.
/// </summary>
/// <param name="State">The case after <paramref name="Applied"/>.</param>
/// <param name="Next">
/// What the host does now: <see cref="Decision.Perform"/> an effect (and fold in the event it returns),
/// <see cref="Decision.Wait"/> until a time or a signal, or stop at <see cref="Decision.Ended"/>. Never
/// <see cref="Decision.Apply"/>: the step has applied those.
/// </param>
/// <param name="Applied">The events applied on the way, oldest first (empty when the case needed the host at once).</param>
public sealed record CaseStep(CaseState State, Decision Next, ValueList<CaseEvent> Applied);
