// Disclosure control: primary and secondary suppression of small numbers per audience, and the
// audit that every released table passes.
