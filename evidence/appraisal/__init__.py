"""Study appraisal: risk-of-bias assessments per study and GRADE certainty per analysis."""
