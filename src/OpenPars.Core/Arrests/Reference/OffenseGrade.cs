namespace OpenPars.Core.Arrests.Reference;

public enum OffenseGrade { F1, F2, F3, M1, M2, M3, S, Ungraded }
