// The one error the clinical evaluators throw: impossible input, named by field
// (Python twin: backend/clinical/errors.py).

export class ClinicalInputError extends Error {
  constructor(field, message) {
    super(`${field}: ${message}`);
    this.name = 'ClinicalInputError';
    this.field = field;
    this.detail = message;
  }
}
