import Columnar
import Definitions

extension ProfileEngine {
    /// For each person id, whether they have an event of `sets` in the reporting year (bit 1) and
    /// in the year before (bit 2): what an `also_in` set keeps its rows by.
    func peopleByYear(in sets: [EventSet]) -> [UInt8] {
        let (events, _) = select(sets, by: [])
        let top = events.reduce(UInt32(0)) { max($0, $1.person) }
        var flags = [UInt8](repeating: 0, count: Int(top) + 1)
        for e in events where e.person != 0 {
            switch yearOf(e.day) {
            case 0: flags[Int(e.person)] |= 1
            case 1: flags[Int(e.person)] |= 2
            default: break
            }
        }
        return flags
    }
}
