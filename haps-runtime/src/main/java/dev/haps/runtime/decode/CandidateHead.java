package dev.haps.runtime.decode;

import dev.haps.api.Candidate;
import dev.haps.api.params.ParameterSpace;
import dev.haps.api.params.ParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One candidate of a bundle as the decoder sees it: its identity, its parameter space, where each
 * parameter sits in the candidate's raw output row, and its mean cost.
 *
 * @param index the candidate's position in the bundle (its logit column)
 * @param candidate the candidate
 * @param slots one entry per parameter of the space, in the space's order
 * @param width the candidate's raw parameter row width {@code P_k}: exactly the slots used
 * @param output the ONNX output holding the raw parameter row; empty when {@code width == 0}
 * @param outputOffset the column of {@code output} where this candidate's row starts (several
 *     candidates may share one output, side by side)
 * @param outputWidth the full row width of {@code output}, at least {@code outputOffset + width}
 * @param meanCostUsd the mean cost per call in USD, finite and at least 0, or NaN when the bundle
 *     states no cost (its training data had none)
 * @since 0.1.0
 */
public record CandidateHead(
    int index, Candidate candidate, List<ParameterSlot> slots, int width, String output,
    int outputOffset, int outputWidth, double meanCostUsd) {

  /**
   * Copies the slots and checks the layout: slots cover {@code [0, width)} exactly once.
   *
   * @throws IllegalArgumentException naming the overlapping, missing or out-of-range slot
   */
  public CandidateHead {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(output, "output");
    slots = List.copyOf(slots);
    if (!Double.isNaN(meanCostUsd) && !(meanCostUsd >= 0 && Double.isFinite(meanCostUsd))) {
      throw new IllegalArgumentException("candidate " + candidate.model() + " meanCostUsd "
          + meanCostUsd + " must be finite and >= 0, or NaN when unknown");
    }
    if (width < 0) {
      throw new IllegalArgumentException("candidate " + candidate.model() + " width " + width
          + " is negative");
    }
    // Count coverage per slot; widths are bounded by the caller (manifest limits).
    int[] owner = new int[width];
    java.util.Arrays.fill(owner, -1);
    for (int i = 0; i < slots.size(); i++) {
      ParameterSlot s = slots.get(i);
      long end = (long) s.slot() + s.width();
      if (end > width) {
        throw new IllegalArgumentException("candidate " + candidate.model() + " parameter '"
            + s.spec().name() + "' uses slots [" + s.slot() + ", " + end + ") but the output"
            + " width is " + width);
      }
      for (int j = s.slot(); j < end; j++) {
        if (owner[j] >= 0) {
          throw new IllegalArgumentException("candidate " + candidate.model() + " parameters '"
              + slots.get(owner[j]).spec().name() + "' and '" + s.spec().name()
              + "' both use slot " + j);
        }
        owner[j] = i;
      }
    }
    for (int j = 0; j < width; j++) {
      if (owner[j] < 0) {
        throw new IllegalArgumentException("candidate " + candidate.model() + " output slot " + j
            + " of " + width + " is used by no parameter; the width must equal the slots used");
      }
    }
    if (width > 0 && output.isBlank()) {
      throw new IllegalArgumentException("candidate " + candidate.model() + " has parameters"
          + " but no output name");
    }
    if (outputOffset < 0 || (long) outputOffset + width > outputWidth) {
      throw new IllegalArgumentException("candidate " + candidate.model() + " row [" + outputOffset
          + ", " + ((long) outputOffset + width) + ") does not fit output width " + outputWidth);
    }
  }

  /**
   * A candidate with an output of its own (offset 0, output width = {@code width}).
   *
   * @param index the candidate's position in the bundle
   * @param candidate the candidate
   * @param slots one entry per parameter
   * @param width the raw row width
   * @param output the ONNX output name, empty when {@code width == 0}
   * @param meanCostUsd the mean cost per call in USD
   */
  public CandidateHead(int index, Candidate candidate, List<ParameterSlot> slots, int width,
      String output, double meanCostUsd) {
    this(index, candidate, slots, width, output, 0, width, meanCostUsd);
  }

  /**
   * The candidate's parameter space, in slot-list order.
   *
   * @return the space
   */
  public ParameterSpace space() {
    List<ParameterSpec> specs = new ArrayList<>(slots.size());
    for (ParameterSlot s : slots) {
      specs.add(s.spec());
    }
    return ParameterSpace.of(specs);
  }

  /**
   * The candidate's model id.
   *
   * @return the model id
   */
  public String model() {
    return candidate.model();
  }
}
