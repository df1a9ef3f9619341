import ArgumentParser
import RegionRisk

/// Checks an option against its documented range (`ParameterLimits`), as a usage error (exit 64)
/// that names the option.
enum OptionLimits {
    static func check(_ option: String, _ value: Double, in range: ClosedRange<Double>, unit: String = "") throws {
        do { try ParameterLimits.check(option, value, in: range, unit: unit) } catch { throw ValidationError(error.localizedDescription) }
    }

    static func check(_ option: String, _ value: Int, in range: ClosedRange<Int>, unit: String = "") throws {
        do { try ParameterLimits.check(option, value, in: range, unit: unit) } catch { throw ValidationError(error.localizedDescription) }
    }
}
