import Foundation

/// Invalid input to the detection statistics (grid shapes, parameters, values).
/// Each message names the argument and what would make it valid.
package enum DetectionStatisticsError: LocalizedError, Equatable, Sendable {
    /// An array has the wrong number of elements for the stated grid or cube shape.
    case dimensionMismatch(argument: String, expected: Int, found: Int)
    /// A parameter is outside its valid range.
    case invalidParameter(name: String, value: String, requirement: String)
    /// A value is NaN or infinite.
    case nonFiniteValue(argument: String, index: Int)
    /// Emerging hot spot analysis needs a minimum number of time steps for its trend test.
    case tooFewTimeSteps(found: Int, minimum: Int)

    package var errorDescription: String? {
        switch self {
        case let .dimensionMismatch(argument, expected, found):
            return "\(argument) has \(found) values but the grid shape needs \(expected); check nx, ny and the number of time steps."
        case let .invalidParameter(name, value, requirement):
            return "\(name) = \(value) is not valid: \(requirement)."
        case let .nonFiniteValue(argument, index):
            return "\(argument)[\(index)] is NaN or infinite; every count or value must be a finite number."
        case let .tooFewTimeSteps(found, minimum):
            return "emerging hot spot analysis needs at least \(minimum) time steps but the cube has \(found); use a shorter time step or a longer period."
        }
    }
}
